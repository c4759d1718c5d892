// The kill consumer on the real stream: combat's evt.combat.player.killed.v1 goes through the
// outbox relay to JetStream and seasons' durable consumer moves the kill boards within seconds,
// once. A full redelivery of the stream (the durable consumer deleted and made again) moves nothing.
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Logger } from '@nestjs/common';
import { OutboxRelay } from '@trustno1/bus';
import { natsConnectOptions } from '@trustno1/config';
import { CombatEvents } from '@trustno1/contracts';
import { createPrismaClient, type PrismaClient } from '@trustno1/db';
import { factories, openTestStores, testInfra, type TestStores } from '@trustno1/testing';
import { systemClock } from '../clock/clock';
import { seasonsConfigSchema, type SeasonsConfig } from '../seasons-config';
import { KILL_CONSUMER, KillConsumer } from './kill.consumer';
import { LeaderboardStore } from './leaderboard.store';
import { leaderboardFixtures } from './leaderboards.fixtures';
import { LeaderboardsRepository } from './leaderboards.repository';
import { LeaderboardsService } from './leaderboards.service';

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the kill consumer', () => {
  let stores: TestStores;
  let prisma: PrismaClient;
  let relay: OutboxRelay;
  let config: SeasonsConfig;
  let service: LeaderboardsService;
  const running: KillConsumer[] = [];

  beforeAll(async () => {
    stores = await openTestStores(8);
    prisma = createPrismaClient(stores.pool);
    config = seasonsConfigSchema.parse({
      NODE_ENV: 'test',
      DATABASE_URL: stores.db.url,
      REDIS_URL: testInfra().redisUrl,
      NATS_URL: testInfra().natsUrl,
      NATS_SUBJECT_PREFIX: stores.ns.natsSubjectPrefix,
      EVENTS_STREAM: stores.ns.eventsStream,
    });
    service = new LeaderboardsService(
      new LeaderboardsRepository(prisma),
      new LeaderboardStore(stores.redis),
      systemClock,
    );
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
    const consumer = new KillConsumer(stores.pool, config, service);
    running.push(consumer);
    await consumer.onApplicationBootstrap();
    return consumer;
  };
  const withJsm = async <T>(fn: (jsm: Awaited<ReturnType<typeof jetstreamManager>>) => Promise<T>) => {
    const nc = await connect(natsConnectOptions(config.NATS_URL));
    try {
      return await fn(await jetstreamManager(nc));
    } finally {
      await nc.close();
    }
  };
  const acked = () =>
    withJsm(
      async (jsm) => (await jsm.consumers.info(config.EVENTS_STREAM, KILL_CONSUMER)).ack_floor.stream_seq,
    );
  const streamLast = () =>
    withJsm(async (jsm) => (await jsm.streams.info(config.EVENTS_STREAM)).state.last_seq);

  /** A killing blow as combat commits it: the log row and the event, in one transaction. */
  const killingBlow = async (killerId: string, victimId: string) => {
    const client = await stores.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO combat.combat_logs (id, attacker_id, victim_id, weapon_id, damage, hit_location, killing_blow)
         VALUES ($1, $2, $3, 'rifle_ak', 100, 'head', true)`,
        [randomUUID(), killerId, victimId],
      );
      await client.query(
        `INSERT INTO platform.outbox (subject, payload) VALUES ($1, jsonb_build_object(
           'playerId', $3::text, 'killerId', $2::text, 'serverId', gen_random_uuid(), 'hitId', gen_random_uuid(),
           'weaponId', 'rifle_ak', 'hitLocation', 'head', 'corpseInventoryId', gen_random_uuid(),
           'position', jsonb_build_object('x', 0, 'y', 0, 'z', 0), 'killedAt', now()))`,
        [CombatEvents.playerKilled, killerId, victimId],
      );
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  };
  const killsOf = async (id: string) => {
    const [daily, weekly] = await Promise.all([
      service.page({ board: 'kills-daily', limit: 100 }),
      service.page({ board: 'kills-weekly', limit: 100 }),
    ]);
    return [daily, weekly].map((view) => view.entries.find((e) => e.id === id)?.score ?? 0);
  };

  it('moves the kill boards within seconds, once; a full redelivery moves nothing', async () => {
    const f = factories(stores.pool);
    const [killer, victim, other] = [await f.character(), await f.character(), await f.character()];
    await leaderboardFixtures(stores.pool).playtime(other.id, 10); // the boards exist before the kills
    assert.deepEqual(await killsOf(killer.id), [0, 0]);
    await startConsumer();

    await killingBlow(killer.id, victim.id);
    await killingBlow(killer.id, victim.id);
    await relay.drainOnce();
    const last = await streamLast();
    await waitFor(async () => (await acked()) >= last, 'both kills acknowledged');
    assert.deepEqual(await killsOf(killer.id), [2, 2]);

    await running[0].beforeApplicationShutdown();
    await withJsm((jsm) => jsm.consumers.delete(config.EVENTS_STREAM, KILL_CONSUMER));
    // Even with the processed marks gone (a crash after Redis, before the commit), the counts are
    // absolute: the replay sets the same numbers.
    await stores.pool.query('DELETE FROM platform.processed_events WHERE consumer = $1', [KILL_CONSUMER]);
    await startConsumer();
    await waitFor(async () => (await acked()) >= last, 'the redelivered kills acknowledged');
    assert.deepEqual(await killsOf(killer.id), [2, 2]);
    const { rows } = await stores.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM platform.processed_events WHERE consumer = $1',
      [KILL_CONSUMER],
    );
    assert.equal(rows[0].n, 2);
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
