/**
 * Reputation from territory captures (issue 14, rule 4): world's capture writes
 * evt.world.territory.captured.v1, the outbox relay publishes it, and the factions service's
 * durable consumer moves reputation once per event (+10 to the captor, -5 to the faction that lost
 * the territory), marking the event processed in the same transaction.
 */
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { Logger } from '@nestjs/common';
import { OutboxRelay } from '@trustno1/bus';
import type { TerritoryView } from '@trustno1/contracts';
import { registerServer, startCluster, TEST_ADMIN_KEY, testInfra, type TestCluster } from '@trustno1/testing';
import { factionsApi, type Server } from '../testing/factions-e2e';
import { TERRITORY_CAPTURE_CONSUMER } from './territory-capture.consumer';

const ADMIN = { 'x-admin-key': TEST_ADMIN_KEY, 'content-type': 'application/json' };

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('reputation moves with territory captures, once per event', () => {
  let cluster: TestCluster;
  let server: Server;
  let api: ReturnType<typeof factionsApi>;
  let relay: OutboxRelay;

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
});
