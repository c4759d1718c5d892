/**
 * Issue 11, point 1: the NATS server itself requires authentication, and each user reaches only
 * its subjects. The suite's server is started from tools/nats/test-auth.conf (the deployments'
 * users, with a test file's isolation prefix allowed), so what is proven here is what runs.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { headers as natsHeaders, type NatsConnection, type Subscription } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { GAME_SERVER_INBOX_PREFIX } from '@trustno1/bus';
import { natsConnectOptions } from '@trustno1/config';
import { AccountsSubjects, InventoryOps, VehicleOps, WorldMapOps } from '@trustno1/contracts';
import {
  natsUrlAs,
  registerServer,
  startCluster,
  TEST_ADMIN_KEY,
  testInfra,
  type TestCluster,
} from '@trustno1/testing';

/** Connects as `user`; resolves with the connection and every error status the server sent it. */
async function connectAs(user: string, password?: string, inboxPrefix?: string) {
  const url =
    password === undefined ? natsUrlAs(user) : natsUrlAs(user).replace(/:[^:@/]*@/, `:${password}@`);
  const nc = await connect({ ...natsConnectOptions(url), ...(inboxPrefix ? { inboxPrefix } : {}) });
  const errors: string[] = [];
  void (async () => {
    for await (const status of nc.status()) if (status.type === 'error') errors.push(String(status.error));
  })();
  return { nc, errors };
}

/** Waits until the server has answered everything sent so far (errors included). */
async function settle(nc: NatsConnection): Promise<void> {
  await nc.flush();
  await new Promise((resolve) => setTimeout(resolve, 150));
}

/** Sends a request in NestJS's wire format and returns the reply, or the error it failed with. */
async function nestRequest(
  nc: NatsConnection,
  subject: string,
  data: unknown,
  headers: Record<string, string> = {},
): Promise<{ reply?: { response?: unknown; err?: { code: string } }; error?: Error }> {
  const h = natsHeaders();
  for (const [name, value] of Object.entries(headers)) h.set(name, value);
  try {
    const msg = await nc.request(subject, JSON.stringify({ pattern: subject, data, id: randomUUID() }), {
      headers: h,
      timeout: 3_000,
    });
    return { reply: msg.json() };
  } catch (error) {
    return { error: error as Error };
  }
}

describe('NATS users: authentication and subject permissions', () => {
  let cluster: TestCluster;
  let prefix: string;
  let serverKey: string;

  beforeAll(async () => {
    cluster = await startCluster(['accounts', 'inventory', 'gateway']);
    prefix = cluster.bus.subjectPrefix;
    serverKey = (await registerServer(cluster.url, TEST_ADMIN_KEY)).apiKey;
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('refuses a connection without a user, and one with a wrong password', async () => {
    const server = testInfra().natsServerUrl;
    await assert.rejects(connect({ servers: server }), /Authorization Violation/i);
    await assert.rejects(connectAs('inventory', 'not-the-password'), /Authorization Violation/i);
    await assert.rejects(connectAs('nobody-we-know'), /Authorization Violation/i);
  });

  it('every service of the cluster connected as its own user and became ready', async () => {
    // The gateway's own calls (registering the server above) went through its user as well.
    for (const app of ['accounts', 'inventory'] as const) {
      const ready = await fetch(`${cluster.app(app).url}/health/ready`);
      assert.equal(ready.status, 200, app);
    }
  });

  it('an app given the wrong NATS password does not start', async () => {
    const { startApp } = await import('@trustno1/testing');
    await assert.rejects(
      startApp('inventory', { ...cluster.env, NATS_PASSWORD: 'wrong' }, 20_000),
      /NATS refused the app's credentials|Authorization Violation/i,
    );
  });

  describe('game_server', () => {
    it('calls a documented request subject with its server key and gets its answer', async () => {
      const { nc, errors } = await connectAs('game_server', undefined, GAME_SERVER_INBOX_PREFIX);
      try {
        const ownerId = randomUUID();
        const { reply, error } = await nestRequest(
          nc,
          `${prefix}${InventoryOps.createInventory.subject}`,
          { ownerId, ownerType: 'container', gridWidth: 2, gridHeight: 2 },
          { 'x-server-key': serverKey },
        );
        assert.equal(error, undefined, String(error));
        assert.equal(reply?.err, undefined, JSON.stringify(reply?.err));
        const { rowCount } = await cluster.pool.query(`SELECT 1 FROM inventories WHERE owner_id = $1`, [
          ownerId,
        ]);
        assert.equal(rowCount, 1);
        assert.deepEqual(errors, []);
      } finally {
        await nc.close();
      }
    });

    it('cannot receive replies on the shared inbox prefix of the apps', async () => {
      const { nc } = await connectAs('game_server');
      try {
        const { reply, error } = await nestRequest(
          nc,
          `${prefix}${InventoryOps.createInventory.subject}`,
          { ownerId: randomUUID(), ownerType: 'container', gridWidth: 2, gridHeight: 2 },
          { 'x-server-key': serverKey },
        );
        assert.equal(reply, undefined);
        assert.match(String(error), /permission/i);
      } finally {
        await nc.close();
      }
    });

    const FORBIDDEN_PUBLISH: [string, string][] = [
      ['an event', 'evt.inventory.item.moved.v1'],
      ['the JetStream API', '$JS.API.INFO'],
      ['an admin-only operation', VehicleOps.decayVehicles.subject],
      ['the server-key lookup (a brute force past the gateway limits)', AccountsSubjects.authenticateServer],
      ['the session lookup', AccountsSubjects.resolveSession],
    ];
    for (const [what, subject] of FORBIDDEN_PUBLISH) {
      it(`may not publish to ${what} (${subject})`, async () => {
        const wire = subject.startsWith('$') ? subject : `${prefix}${subject}`;
        const { nc: watcher } = await connectAs('ops');
        const { nc, errors } = await connectAs('game_server', undefined, GAME_SERVER_INBOX_PREFIX);
        const seen: string[] = [];
        // `$JS.API.*` is shared by every spec file running at once: count only this test's message.
        const id = randomUUID();
        const sub: Subscription = watcher.subscribe(wire, {
          callback: (err, msg) =>
            void (err || !msg.string().includes(id) ? undefined : seen.push(msg.subject)),
        });
        try {
          await settle(watcher);
          nc.publish(wire, JSON.stringify({ pattern: subject, data: {}, id }));
          await settle(nc);
          await settle(watcher);
          assert.deepEqual(seen, [], `${subject} reached a subscriber`);
          assert.ok(
            errors.some((e) => /permission/i.test(e) && e.includes(wire)),
            `no permission violation for ${wire}: ${JSON.stringify(errors)}`,
          );
        } finally {
          sub.unsubscribe();
          await nc.close();
          await watcher.close();
        }
      });
    }

    it("may not subscribe to a service's subjects (it would receive other callers' requests)", async () => {
      const { nc, errors } = await connectAs('game_server', undefined, GAME_SERVER_INBOX_PREFIX);
      const { nc: sender } = await connectAs('ops');
      const received: string[] = [];
      try {
        nc.subscribe(`${prefix}inventory.>`, {
          // The refusal arrives here as an error; a message would be a request read by the wrong user.
          callback: (err, msg) => void (err ? undefined : received.push(msg.subject)),
        });
        await settle(nc);
        sender.publish(`${prefix}${InventoryOps.moveItem.subject}`, '{}');
        await settle(sender);
        await settle(nc);
        assert.deepEqual(received, []);
        assert.ok(
          errors.some((e) => /permission/i.test(e) && e.includes('inventory.>')),
          JSON.stringify(errors),
        );
      } finally {
        await nc.close();
        await sender.close();
      }
    });
  });

  describe('service users', () => {
    it("inventory may not subscribe to accounts' subjects nor publish another domain's requests", async () => {
      const { nc, errors } = await connectAs('inventory');
      try {
        nc.subscribe(`${prefix}accounts.>`);
        nc.publish(`${prefix}${WorldMapOps.loadChunk.subject}`, '{}');
        await settle(nc);
        assert.ok(
          errors.some((e) => e.includes('accounts.>')),
          JSON.stringify(errors),
        );
        assert.ok(
          errors.some((e) => e.includes('world.chunk.load.v1')),
          JSON.stringify(errors),
        );
      } finally {
        await nc.close();
      }
    });

    it('the gateway may not publish events', async () => {
      const { nc, errors } = await connectAs('gateway');
      try {
        nc.publish(`${prefix}evt.accounts.character.created.v1`, '{}');
        await settle(nc);
        assert.ok(
          errors.some((e) => /permission/i.test(e) && e.includes('evt.')),
          JSON.stringify(errors),
        );
      } finally {
        await nc.close();
      }
    });
  });
});
