/**
 * Raids seen from the factions service (issue 14): reputation from won raids (rule 4) and raid
 * alerts (rule 6). Combat writes evt.combat.raid.started.v1 / .ended.v1 to the outbox in its raid
 * functions (prisma/sql/combat/03_raids.sql); here the same rows are written to the outbox
 * directly, the real relay publishes them and the factions service's durable consumers take them.
 */
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { enqueueEvent, OutboxRelay } from '@trustno1/bus';
import { RaidEvents, type RaidEndedEvent } from '@trustno1/contracts';
import { registerServer, startCluster, TEST_ADMIN_KEY, testInfra, type TestCluster } from '@trustno1/testing';
import { factionsApi, type Server } from '../testing/factions-e2e';
import { RAID_REPUTATION_CONSUMER } from './raid-reputation.consumer';

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function ended(over: Partial<RaidEndedEvent>): RaidEndedEvent {
  const now = new Date().toISOString();
  return {
    raidId: randomUUID(),
    baseId: randomUUID(),
    cupboardId: null,
    structureId: randomUUID(),
    raiderFactionId: null,
    defenderFactionId: null,
    successful: true,
    cupboardDestroyed: true,
    lootTaken: [],
    damageDealt: 1000,
    explosivesUsed: { c4: 2 },
    participants: { raiders: [], defenders: [] },
    startedAt: now,
    endedAt: now,
    ...over,
  };
}

describe('raids: reputation from won raids', () => {
  let cluster: TestCluster;
  let server: Server;
  let api: ReturnType<typeof factionsApi>;
  let relay: OutboxRelay;

  beforeAll(async () => {
    cluster = await startCluster(['accounts', 'factions', 'gateway']);
    server = await registerServer(cluster.url, TEST_ADMIN_KEY);
    api = factionsApi(cluster, server);
    relay = new OutboxRelay({
      pool: cluster.pool,
      natsUrl: testInfra().natsUrl,
      streamName: cluster.ns.eventsStream,
      subjectPrefix: cluster.ns.natsSubjectPrefix,
      logger: new Logger('relay-test'),
    });
    relay.start();
  });
  afterAll(async () => {
    await relay?.stop();
    await cluster?.stop();
  });

  const reputation = async (id: string) =>
    (
      await cluster.pool.query<{ reputation: number }>(
        `SELECT reputation FROM factions.factions WHERE id = $1`,
        [id],
      )
    ).rows[0].reputation;
  const emit = (subject: string, payload: unknown) => enqueueEvent(cluster.pool, subject, payload);
  const processed = async () =>
    (
      await cluster.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM processed_events WHERE consumer = $1`,
        [RAID_REPUTATION_CONSUMER],
      )
    ).rows[0].n;

  it('gives the raider 15 and takes 10 from the defender (never below 0), once per raid', async () => {
    const [a, b] = [await api.character(), await api.character()];
    const [raider, defender] = [await api.create(a.id), await api.create(b.id)];
    await cluster.pool.query(`UPDATE factions.factions SET reputation = 14 WHERE id = $1`, [defender.id]);
    const before = await processed();

    const won = ended({ raiderFactionId: raider.id, defenderFactionId: defender.id });
    // The same raid's event twice (two outbox rows, two event ids): applied once.
    await emit(RaidEvents.ended, won);
    await emit(RaidEvents.ended, won);
    await waitFor(async () => (await processed()) === before + 2, 'both events consumed');
    assert.deepEqual([await reputation(raider.id), await reputation(defender.id)], [15, 4]);

    // A second won raid: the defender stops at 0.
    await emit(RaidEvents.ended, ended({ raiderFactionId: raider.id, defenderFactionId: defender.id }));
    await waitFor(async () => (await reputation(raider.id)) === 30, 'the second raid');
    assert.equal(await reputation(defender.id), 0);

    const { rows } = await cluster.pool.query(
      `SELECT raider_gain, defender_loss FROM factions.raid_reputation WHERE raider_faction_id = $1
        ORDER BY created_at`,
      [raider.id],
    );
    assert.deepEqual(
      rows.map((r) => [r.raider_gain, r.defender_loss]),
      [
        [15, 10],
        [15, 4],
      ],
    );
  });

  it('changes nothing for a failed raid, nor for a raid within one faction', async () => {
    const [a, b] = [await api.character(), await api.character()];
    const [fa, fb] = [await api.create(a.id), await api.create(b.id)];
    await cluster.pool.query(`UPDATE factions.factions SET reputation = 50 WHERE id = ANY($1)`, [
      [fa.id, fb.id],
    ]);
    const before = await processed();
    await emit(
      RaidEvents.ended,
      ended({ raiderFactionId: fa.id, defenderFactionId: fb.id, successful: false }),
    );
    await emit(RaidEvents.ended, ended({ raiderFactionId: fa.id, defenderFactionId: fa.id }));
    await waitFor(async () => (await processed()) === before + 2, 'both events consumed');
    await sleep(300);
    assert.deepEqual([await reputation(fa.id), await reputation(fb.id)], [50, 50]);
  });
});
