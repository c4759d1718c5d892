import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { BusClient } from '@trustno1/bus';
import { AccountsSubjects, ErrorCode, InventoryOps, PlatformSubjects, SERVICES } from '@trustno1/contracts';
import {
  natsDirect,
  registerServer,
  startCluster,
  TEST_ADMIN_KEY,
  type NatsDirect,
  type TestCluster,
} from '@trustno1/testing';

/**
 * Issue 9: services trust a principal only when it is proven. Every service refuses a forged
 * claim sent straight to NATS, and a game server may call NATS directly with its own key.
 */
describe('principals proven on NATS, on every service', () => {
  let cluster: TestCluster;
  let direct: NatsDirect;
  let bus: BusClient;

  beforeAll(async () => {
    cluster = await startCluster([...SERVICES, 'gateway']);
    direct = await natsDirect(cluster.bus.natsUrl, cluster.bus.subjectPrefix);
    bus = new BusClient({ ...cluster.bus, serviceName: 'sealed-principals-spec' });
  });

  afterAll(async () => {
    await direct?.close();
    await bus?.close();
    await cluster?.stop();
  });

  // One internal (admin-only) subject of each service, as the worker calls it.
  const ADMIN_SUBJECTS: [string, string, unknown][] = [
    ['accounts', AccountsSubjects.flushPositions, {}],
    ['world', 'world.vehicle.decay.v1', { now: new Date().toISOString() }],
    ['inventory', InventoryOps.cleanupCorpses.subject, { now: new Date().toISOString() }],
  ];

  for (const [service, subject, payload] of ADMIN_SUBJECTS) {
    it(`${service}: an unsealed claim of admin is UNAUTHENTICATED; the sealed one is served`, async () => {
      const forged = await direct.request(subject, payload, { 'x-principal': '{"kind":"admin"}' });
      assert.equal(forged.err?.code, ErrorCode.UNAUTHENTICATED, JSON.stringify(forged));
      const sealed = await bus.request(subject, payload, { principal: { kind: 'admin' } });
      assert.ok(sealed !== undefined);
    });
  }

  it('every service refuses a forged claim even on its open health subject', async () => {
    for (const service of SERVICES) {
      const reply = await direct.request(PlatformSubjects.healthPing(service), null, {
        'x-principal': JSON.stringify({ kind: 'server', serverId: randomUUID(), region: 'eu-west' }),
      });
      assert.equal(reply.err?.code, ErrorCode.UNAUTHENTICATED, service);
      const anonymous = await direct.request(PlatformSubjects.healthPing(service), null);
      assert.equal((anonymous.response as { service: string }).service, service);
    }
  });

  it('a game server calling NATS with its own key acts as itself, until the key is revoked', async () => {
    const server = await registerServer(cluster.url, TEST_ADMIN_KEY);
    const ownerId = randomUUID();
    const created = await direct.request(
      InventoryOps.createInventory.subject,
      { ownerId, ownerType: 'container', gridWidth: 4, gridHeight: 4 },
      { 'x-server-key': server.apiKey },
    );
    assert.equal(created.err, undefined, JSON.stringify(created.err));
    const inventoryId = (created.response as { id: string }).id;
    const { rows } = await cluster.pool.query<{ server_id: string }>(
      `SELECT server_id FROM inventories WHERE id = $1`,
      [inventoryId],
    );
    assert.equal(rows[0]?.server_id, server.id);

    const revoke = await fetch(`${cluster.url}/v1/admin/servers/${server.id}`, {
      method: 'DELETE',
      headers: { 'x-admin-key': TEST_ADMIN_KEY },
    });
    assert.equal(revoke.status, 204);
    const after = await direct.request(
      InventoryOps.createInventory.subject,
      { ownerId: randomUUID(), ownerType: 'container', gridWidth: 4, gridHeight: 4 },
      { 'x-server-key': server.apiKey },
    );
    assert.equal(after.err?.code, ErrorCode.UNAUTHENTICATED);
    const count = await cluster.pool.query(`SELECT 1 FROM inventories WHERE server_id = $1`, [server.id]);
    assert.equal(count.rowCount, 1);
  });

  it('a made-up server key is UNAUTHENTICATED and creates nothing', async () => {
    const ownerId = randomUUID();
    const reply = await direct.request(
      InventoryOps.createInventory.subject,
      { ownerId, ownerType: 'container', gridWidth: 4, gridHeight: 4 },
      { 'x-server-key': 'x'.repeat(43) },
    );
    assert.equal(reply.err?.code, ErrorCode.UNAUTHENTICATED);
    const { rowCount } = await cluster.pool.query(`SELECT 1 FROM inventories WHERE owner_id = $1`, [ownerId]);
    assert.equal(rowCount, 0);
  });
});
