// The structure-damaged consumer on the real stream: world's event goes through the outbox relay
// to JetStream and combat's durable consumer applies it once. A redelivery (the durable consumer
// deleted and recreated, so the stream delivers every event again) counts nothing twice.
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Logger } from '@nestjs/common';
import { OutboxRelay } from '@trustno1/bus';
import { natsConnectOptions } from '@trustno1/config';
import { createPrismaClient, type PrismaClient } from '@trustno1/db';
import { factories, openTestStores, testInfra, type TestStores } from '@trustno1/testing';
import { WORLD_CATALOGS } from '@trustno1/world-domain';
import { RAID_DAMAGE_CONSUMER, RaidDamageConsumer } from './raid-damage.consumer';
import { loadRaidsConfig, type RaidsConfig } from './raids-config';
import { RaidsRepository } from './raids.repository';

const TYPES = new Map(WORLD_CATALOGS.structures.map((s) => [s.id, s]));

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the raid damage consumer', () => {
  let stores: TestStores;
  let prisma: PrismaClient;
  let relay: OutboxRelay;
  let config: RaidsConfig;
  const running: RaidDamageConsumer[] = [];

  beforeAll(async () => {
    stores = await openTestStores(8);
    prisma = createPrismaClient(stores.pool);
    config = loadRaidsConfig({
      NODE_ENV: 'test',
      DATABASE_URL: stores.db.url,
      REDIS_URL: testInfra().redisUrl,
      NATS_URL: testInfra().natsUrl,
      NATS_SUBJECT_PREFIX: stores.ns.natsSubjectPrefix,
      EVENTS_STREAM: stores.ns.eventsStream,
    });
    relay = new OutboxRelay({
      pool: stores.pool,
      natsUrl: config.NATS_URL,
      streamName: config.EVENTS_STREAM,
      subjectPrefix: config.NATS_SUBJECT_PREFIX,
      logger: new Logger('relay-test'),
    });
  });
  afterAll(async () => {
    for (const c of running) await c.beforeApplicationShutdown();
    await relay?.stop();
    await prisma?.$disconnect();
    await deleteStream(stores.ns.eventsStream);
    await stores?.close();
  });

  const startConsumer = async () => {
    const consumer = new RaidDamageConsumer(stores.pool, config, new RaidsRepository(prisma));
    running.push(consumer);
    await consumer.onApplicationBootstrap();
    return consumer;
  };
  const acked = async (): Promise<number> => {
    const nc = await connect(natsConnectOptions(config.NATS_URL));
    try {
      const jsm = await jetstreamManager(nc);
      return (await jsm.consumers.info(config.EVENTS_STREAM, RAID_DAMAGE_CONSUMER)).ack_floor.stream_seq;
    } finally {
      await nc.close();
    }
  };
  const streamLast = async (): Promise<number> => {
    const nc = await connect(natsConnectOptions(config.NATS_URL));
    try {
      return (await (await jetstreamManager(nc)).streams.info(config.EVENTS_STREAM)).state.last_seq;
    } finally {
      await nc.close();
    }
  };
  const raidOf = async (baseId: string) =>
    (
      await stores.pool.query<{ damage_dealt: number; explosives_used: Record<string, number> }>(
        'SELECT damage_dealt, explosives_used FROM combat.raid_logs WHERE base_id = $1',
        [baseId],
      )
    ).rows;

  it('opens the raid from the event once, and a full redelivery of the stream counts nothing twice', async () => {
    const pool = stores.pool;
    const f = factories(pool);
    const owner = await f.character();
    const raider = await f.character();
    await pool.query('UPDATE accounts.players SET is_online = true WHERE id = $1', [owner.id]);
    const cupboard = randomUUID();
    const t = TYPES.get('tool_cupboard')!;
    await pool.query(
      `SELECT place_structure($1, $2, NULL, 'tool_cupboard', '{"x":1,"y":0,"z":1}', '{"x":0,"y":0,"z":0,"w":1}',
                              '{}', '{}', $3, $4, true, true, 6, 4, 30, 10000, now(), NULL)`,
      [cupboard, owner.id, t.maxHealth, t.decayPerHour],
    );
    const hit = (amount: number, type: string) =>
      pool.query(`SELECT damage_structure($1, $2, $3, true, $4, 15, 0.25, now(), 'test')`, [
        cupboard,
        amount,
        raider.id,
        type,
      ]);
    await hit(10, 'c4');
    await hit(5, 'satchel');
    await relay.drainOnce();
    const first = await startConsumer();
    const last = await streamLast();
    await waitFor(async () => (await acked()) >= last, 'both events acknowledged');
    assert.deepEqual(await raidOf(cupboard), [{ damage_dealt: 15, explosives_used: { c4: 1, satchel: 1 } }]);

    // The durable consumer is deleted and made again: the stream delivers both events once more.
    await first.beforeApplicationShutdown();
    const nc = await connect(natsConnectOptions(config.NATS_URL));
    await (await jetstreamManager(nc)).consumers.delete(config.EVENTS_STREAM, RAID_DAMAGE_CONSUMER);
    await nc.close();
    await startConsumer();
    await waitFor(async () => (await acked()) >= last, 'the redelivered events acknowledged');
    assert.deepEqual(await raidOf(cupboard), [{ damage_dealt: 15, explosives_used: { c4: 1, satchel: 1 } }]);
    const { rows } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM platform.processed_events WHERE consumer = $1',
      [RAID_DAMAGE_CONSUMER],
    );
    assert.equal(rows[0].n, 2);
    const started = await pool.query(
      `SELECT 1 FROM platform.outbox WHERE subject = 'evt.combat.raid.started.v1'`,
    );
    assert.equal(started.rowCount, 1);
  });
});

async function deleteStream(name: string): Promise<void> {
  const nc = await connect(natsConnectOptions(testInfra().natsUrl));
  try {
    await (await jetstreamManager(nc)).streams.delete(name).catch(() => undefined);
  } finally {
    await nc.close();
  }
}
