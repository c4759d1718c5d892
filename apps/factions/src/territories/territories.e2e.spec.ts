/**
 * Reputation from territory captures (issue 14, rule 4): world's capture writes
 * evt.world.territory.captured.v1, the outbox relay publishes it, and the factions service's
 * durable consumer moves reputation once per event (+10 to the captor, -5 to the faction that lost
 * the territory), marking the event processed in the same transaction.
 */
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { Logger } from '@nestjs/common';
import { BusClient, OutboxRelay } from '@trustno1/bus';
import { TerritorySubjects, type TerritoryView } from '@trustno1/contracts';
import { registerServer, startCluster, TEST_ADMIN_KEY, testInfra, type TestCluster } from '@trustno1/testing';
import { factionsApi, type Server } from '../testing/factions-e2e';
import { TERRITORY_CAPTURE_CONSUMER } from './territory-capture.consumer';
import { TERRITORY_INCOME_CONSUMER } from './territory-income.consumer';

const ADMIN = { 'x-admin-key': TEST_ADMIN_KEY, 'content-type': 'application/json' };

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('territories: reputation and hourly income, once per event', () => {
  let cluster: TestCluster;
  let server: Server;
  let api: ReturnType<typeof factionsApi>;
  let relay: OutboxRelay;
  let bus: BusClient;

  beforeAll(async () => {
    cluster = await startCluster(['accounts', 'world', 'factions', 'gateway']);
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
    bus = new BusClient({ ...cluster.bus, serviceName: 'territory-income-test' });
  });
  afterAll(async () => {
    await bus?.close();
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

  it('gives the captor 10 and takes 5 from the faction that lost the territory', async () => {
    const [a, b] = [await api.character(), await api.character()];
    const [fa, fb] = [await api.create(a.id), await api.create(b.id)];
    const t = await api.send<TerritoryView>(
      'POST',
      '/v1/territories',
      { name: 'Ridge', centerX: 0, centerZ: 0, radius: 10, maxCapturePoints: 1 },
      ADMIN,
    );
    assert.equal(t.status, 201, JSON.stringify(t.body));
    const capture = (factionId: string, playerId: string) =>
      api.send('POST', `/v1/territories/${t.body.id}/capture`, { factionId, playerId, points: 1 });

    assert.equal((await capture(fa.id, a.id)).status, 200);
    await waitFor(async () => (await reputation(fa.id)) === 10, 'the first capture');
    assert.equal((await capture(fb.id, b.id)).status, 200);
    await waitFor(async () => (await reputation(fb.id)) === 10, 'the second capture');
    assert.equal(await reputation(fa.id), 5);

    const { rows } = await cluster.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM processed_events WHERE consumer = $1`,
      [TERRITORY_CAPTURE_CONSUMER],
    );
    assert.equal(rows[0].n, 2);
    // Nothing more arrives later: each event applied once.
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual([await reputation(fa.id), await reputation(fb.id)], [5, 10]);
  });

  it('credits the hourly scrap of an owned territory to its faction once per hour, however often the tick runs', async () => {
    const a = await api.character();
    const faction = await api.create(a.id);
    const t = await api.send<TerritoryView>(
      'POST',
      '/v1/territories',
      {
        name: 'Quarry',
        centerX: 500,
        centerZ: 500,
        radius: 10,
        maxCapturePoints: 1,
        resourcesGenerated: { scrap: 25, wood: 5 },
      },
      ADMIN,
    );
    assert.equal(t.status, 201, JSON.stringify(t.body));
    const captured = await api.send('POST', `/v1/territories/${t.body.id}/capture`, {
      factionId: faction.id,
      playerId: a.id,
      points: 1,
    });
    assert.equal(captured.status, 200);
    const asAdmin = { principal: { kind: 'admin' as const } };
    // Two runs for the 09:00 hour (one twice at once), one for the 10:00 hour.
    await Promise.all(
      ['2026-03-01T10:00:07.000Z', '2026-03-01T10:00:07.000Z', '2026-03-01T10:59:00.000Z'].map((now) =>
        bus.request(TerritorySubjects.creditResources, { now }, asAdmin),
      ),
    );
    await bus.request(TerritorySubjects.creditResources, { now: '2026-03-01T11:00:01.000Z' }, asAdmin);
    const treasury = async () =>
      Number(
        (await cluster.pool.query(`SELECT treasury FROM factions.factions WHERE id = $1`, [faction.id]))
          .rows[0].treasury,
      );
    await waitFor(async () => (await treasury()) === 50, 'two hours of income');
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(await treasury(), 50);
    const { rows } = await cluster.pool.query(
      `SELECT delta::int, balance_after::int, reason, reference FROM faction_ledger WHERE faction_id = $1 ORDER BY id`,
      [faction.id],
    );
    assert.deepEqual(
      rows.map((r) => [r.delta, r.balance_after, r.reason]),
      [
        [25, 25, 'territory_income'],
        [25, 50, 'territory_income'],
      ],
    );
    const processed = await cluster.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM processed_events WHERE consumer = $1`,
      [TERRITORY_INCOME_CONSUMER],
    );
    assert.equal(processed.rows[0].n, 2);
  });
});
