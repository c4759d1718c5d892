// Direct trades end to end, as a game server would trade for two characters joined to it: open,
// offers, accepts through the gateway, the swap read back by the server, the owning player and an
// admin; an Idempotency-Key replay; accepts racing over HTTP execute once; the principals the
// routes refuse; and the bad-input matrix, each refusal leaving every table a trade touches as it was.
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { BusClient } from '@trustno1/bus';
import { TradeOps, type TradeView } from '@trustno1/contracts';
import {
  call as callGateway,
  codeOf,
  detailsOf,
  factories,
  fieldsOf,
  registerServer,
  signUp,
  startCluster,
  TEST_ADMIN_KEY,
  type Factories,
  type SignedUpPlayer,
  type TestCluster,
} from '@trustno1/testing';

const ADMIN = { 'x-admin-key': TEST_ADMIN_KEY, 'content-type': 'application/json' };

describe('direct trades through the gateway', () => {
  let cluster: TestCluster;
  let pool: Pool;
  let f: Factories;
  let server: { id: string; headers: Record<string, string> };
  let otherServer: { id: string; headers: Record<string, string> };
  let owner: SignedUpPlayer;
  let stranger: SignedUpPlayer;
  let ore: string;
  let rifle: string;

  const call = <T = TradeView>(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: unknown,
  ) => callGateway<T>(cluster.url, method, path, { headers, body });
  const character = async (items: [string, number][], coins = 0, accountId?: string) => {
    const c = await f.joinedCharacter(server.id, items, accountId ? { accountId } : {});
    if (coins > 0)
      await pool.query(`SELECT market.wallet_move($1, 'scrap', $2, 'admin_grant', 'test')`, [c.id, coins]);
    return c;
  };
  const itemOf = async (inventoryId: string, template: string) =>
    (
      await pool.query<{ id: string; quantity: number }>(
        'SELECT id, quantity FROM inventory_items WHERE inventory_id = $1 AND item_template_id = $2 ORDER BY id LIMIT 1',
        [inventoryId, template],
      )
    ).rows[0];
  const balance = async (playerId: string) =>
    Number(
      (
        await pool.query(`SELECT balance FROM wallets WHERE player_id = $1 AND currency = 'scrap'`, [
          playerId,
        ])
      ).rows[0].balance,
    );
  /** Every row a trade route could write, hashed: a refused request must leave it as it was. */
  const checksum = async () =>
    (
      await pool.query<{ sum: string }>(
        `SELECT md5(concat_ws('|',
           (SELECT string_agg(t::text, ';' ORDER BY t.id) FROM market.trades t),
           (SELECT string_agg(t::text, ';' ORDER BY t.trade_id, t.item_id) FROM market.trade_items t),
           (SELECT string_agg(t::text, ';' ORDER BY t.trade_id, t.player_id, t.currency) FROM market.trade_money t),
           (SELECT string_agg(t::text, ';' ORDER BY t.player_id, t.currency) FROM market.wallets t),
           (SELECT count(*) FROM market.wallet_ledger), (SELECT count(*) FROM market.transactions),
           (SELECT count(*) FROM market.claims), (SELECT count(*) FROM platform.idempotency_keys),
           (SELECT count(*) FROM platform.outbox),
           (SELECT string_agg(t::text, ';' ORDER BY t.id) FROM inventory.inventory_items t),
           (SELECT string_agg(t::text, ';' ORDER BY t.id) FROM inventory.inventories t),
           (SELECT count(*) FROM inventory.item_ledger))) AS sum`,
      )
    ).rows[0].sum;

  beforeAll(async () => {
    cluster = await startCluster(['accounts', 'market', 'gateway']);
    pool = cluster.pool;
    f = factories(pool);
    [server, otherServer] = [
      await registerServer(cluster.url, TEST_ADMIN_KEY),
      await registerServer(cluster.url, TEST_ADMIN_KEY),
    ];
    [owner, stranger] = [await signUp(cluster.url), await signUp(cluster.url)];
    ore = (await f.itemTemplate({ maxStack: 100 })).id;
    rifle = (await f.itemTemplate({ width: 2, height: 1 })).id;
  });
  afterAll(() => cluster?.stop());

  it('opens, takes offers, resets on change and swaps on the second accept; the server, the owner and an admin read it', async () => {
    const a = await character([[ore, 10]], 200, owner.accountId);
    const b = await character([[rifle, 1]]);
    const opened = await call('POST', '/v1/trades', server.headers, { initiatorId: a.id, partnerId: b.id });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    const id = opened.body.id;
    const stack = await itemOf(a.inventoryId, ore);
    let reply = await call('PUT', `/v1/trades/${id}/offer`, server.headers, {
      playerId: a.id,
      items: [{ itemId: stack.id, quantity: 4 }],
      money: [{ currency: 'scrap', amount: 25 }],
    });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    reply = await call('POST', `/v1/trades/${id}/accept`, server.headers, { playerId: a.id });
    assert.deepEqual([reply.status, reply.body.offers[0].accepted], [200, true]);
    reply = await call('PUT', `/v1/trades/${id}/offer`, server.headers, {
      playerId: b.id,
      items: [{ itemId: (await itemOf(b.inventoryId, rifle)).id, quantity: 1 }],
      money: [],
    });
    assert.deepEqual([reply.body.offers[0].accepted, reply.body.version], [false, 2], 'the change reset a');
    await call('POST', `/v1/trades/${id}/accept`, server.headers, { playerId: a.id, version: 2 });
    reply = await call('POST', `/v1/trades/${id}/accept`, server.headers, { playerId: b.id, version: 2 });
    assert.deepEqual([reply.status, reply.body.status], [200, 'executed'], JSON.stringify(reply.body));
    assert.deepEqual([await balance(a.id), await balance(b.id)], [175, 25]);
    assert.equal((await itemOf(b.inventoryId, ore))?.quantity, 4);
    assert.ok(await itemOf(a.inventoryId, rifle));

    for (const headers of [server.headers, owner.headers, ADMIN]) {
      const read = await call('GET', `/v1/trades/${id}`, headers);
      assert.deepEqual([read.status, read.body.status, read.body.closeReason], [200, 'executed', 'EXECUTED']);
    }
    for (const headers of [stranger.headers, otherServer.headers]) {
      const hidden = await call('GET', `/v1/trades/${id}`, headers);
      assert.deepEqual([hidden.status, codeOf(hidden)], [404, 'NOT_FOUND']);
    }
    const again = await call('POST', `/v1/trades/${id}/accept`, server.headers, { playerId: a.id });
    assert.deepEqual([again.status, detailsOf(again).reason], [409, 'TRADE_CLOSED']);
  });

  it('cancels with 204, giving the escrowed items back; an Idempotency-Key replays the open', async () => {
    const a = await character([[ore, 3]]);
    const b = await character([]);
    const key = { ...server.headers, 'idempotency-key': `open-${randomUUID()}` };
    const first = await call('POST', '/v1/trades', key, { initiatorId: a.id, partnerId: b.id });
    const second = await call('POST', '/v1/trades', key, { initiatorId: a.id, partnerId: b.id });
    assert.deepEqual([first.status, second.status, second.body.id], [201, 201, first.body.id]);
    const stack = await itemOf(a.inventoryId, ore);
    await call('PUT', `/v1/trades/${first.body.id}/offer`, server.headers, {
      playerId: a.id,
      items: [{ itemId: stack.id, quantity: 3 }],
      money: [],
    });
    assert.equal(await itemOf(a.inventoryId, ore), undefined, 'in escrow');
    const gone = await call<null>('DELETE', `/v1/trades/${first.body.id}`, server.headers);
    assert.equal(gone.status, 204);
    assert.equal((await itemOf(a.inventoryId, ore))?.quantity, 3);
    const read = await call('GET', `/v1/trades/${first.body.id}`, ADMIN);
    assert.deepEqual([read.body.status, read.body.closeReason], ['cancelled', 'CANCELLED']);
  });

  it("cancels at the schedule's tick a trade idle for TRADE_TIMEOUT_SECONDS (60 by default), items back", async () => {
    const a = await character([[ore, 2]]);
    const b = await character([]);
    const { body: trade } = await call('POST', '/v1/trades', server.headers, {
      initiatorId: a.id,
      partnerId: b.id,
    });
    await call('PUT', `/v1/trades/${trade.id}/offer`, server.headers, {
      playerId: a.id,
      items: [{ itemId: (await itemOf(a.inventoryId, ore)).id, quantity: 2 }],
      money: [],
    });
    const bus = new BusClient({ ...cluster.bus, serviceName: 'trades-test' });
    try {
      const tick = (seconds: number) =>
        bus.call(
          TradeOps.expireTrades,
          { now: new Date(Date.now() + seconds * 1000).toISOString() },
          { principal: { kind: 'admin' } },
        );
      assert.ok(!(await tick(30)).trades.some((t) => t.id === trade.id), 'not idle for 60 s yet');
      const done = await tick(61);
      assert.deepEqual(
        done.trades.filter((t) => t.id === trade.id),
        [{ id: trade.id, reason: 'TIMED_OUT' }],
      );
    } finally {
      await bus.close();
    }
    assert.equal((await itemOf(a.inventoryId, ore))?.quantity, 2);
    const read = await call('GET', `/v1/trades/${trade.id}`, server.headers);
    assert.deepEqual(
      [read.body.status, read.body.closeReason, read.body.expiresAt],
      ['cancelled', 'TIMED_OUT', null],
    );
  });

  it('accepts racing over HTTP execute the trade once', async () => {
    const a = await character([[ore, 10]], 0);
    const b = await character([], 500);
    const { body: trade } = await call('POST', '/v1/trades', server.headers, {
      initiatorId: a.id,
      partnerId: b.id,
    });
    await call('PUT', `/v1/trades/${trade.id}/offer`, server.headers, {
      playerId: a.id,
      items: [{ itemId: (await itemOf(a.inventoryId, ore)).id, quantity: 10 }],
      money: [],
    });
    await call('PUT', `/v1/trades/${trade.id}/offer`, server.headers, {
      playerId: b.id,
      items: [],
      money: [{ currency: 'scrap', amount: 120 }],
    });
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call('POST', `/v1/trades/${trade.id}/accept`, server.headers, { playerId: i % 2 ? a.id : b.id }),
      ),
    );
    const executed = replies.filter((r) => r.status === 200 && r.body.status === 'executed');
    assert.equal(executed.length, 1);
    for (const r of replies.filter((x) => x.status !== 200)) {
      assert.deepEqual([r.status, detailsOf(r).reason], [409, 'TRADE_CLOSED'], JSON.stringify(r.body));
    }
    assert.deepEqual([await balance(a.id), await balance(b.id)], [120, 380]);
    const rows = await pool.query('SELECT count(*)::int AS n FROM market.transactions WHERE trade_id = $1', [
      trade.id,
    ]);
    assert.equal(rows.rows[0].n, 2);
  });

  it('refuses players, other servers and characters of other servers, changing nothing', async () => {
    const a = await character([[ore, 1]]);
    const b = await character([]);
    const elsewhere = await f.joinedCharacter(otherServer.id, []);
    const { body: trade } = await call('POST', '/v1/trades', server.headers, {
      initiatorId: a.id,
      partnerId: b.id,
    });
    const before = await checksum();
    const refusals: [Record<string, string>, string, string, unknown, number, string?][] = [
      [owner.headers, 'POST', '/v1/trades', { initiatorId: a.id, partnerId: b.id }, 403],
      [otherServer.headers, 'POST', '/v1/trades', { initiatorId: a.id, partnerId: b.id }, 403],
      [server.headers, 'POST', '/v1/trades', { initiatorId: a.id, partnerId: elsewhere.id }, 403],
      [
        ADMIN,
        'POST',
        '/v1/trades',
        { initiatorId: a.id, partnerId: elsewhere.id },
        409,
        'NOT_ON_THE_SAME_SERVER',
      ],
      [
        otherServer.headers,
        'PUT',
        `/v1/trades/${trade.id}/offer`,
        { playerId: a.id, items: [], money: [] },
        403,
      ],
      [
        server.headers,
        'PUT',
        `/v1/trades/${trade.id}/offer`,
        { playerId: elsewhere.id, items: [], money: [] },
        403,
      ],
      [otherServer.headers, 'POST', `/v1/trades/${trade.id}/accept`, { playerId: a.id }, 403],
      [otherServer.headers, 'DELETE', `/v1/trades/${trade.id}`, undefined, 403],
      [owner.headers, 'DELETE', `/v1/trades/${trade.id}`, undefined, 403],
      [{}, 'GET', `/v1/trades/${trade.id}`, undefined, 401],
    ];
    for (const [headers, method, path, body, status, reason] of refusals) {
      const reply = await call(method, path, headers, body);
      assert.equal(reply.status, status, `${method} ${path}: ${JSON.stringify(reply.body)}`);
      if (reason) assert.equal(detailsOf(reply).reason, reason);
    }
    assert.equal(await checksum(), before);
  });

  it('refuses bad input with 400 naming the field (or the domain code), and changes nothing', async () => {
    const a = await character([[ore, 5]], 10);
    const b = await character([[rifle, 1]]);
    const { body: trade } = await call('POST', '/v1/trades', server.headers, {
      initiatorId: a.id,
      partnerId: b.id,
    });
    const stack = (await itemOf(a.inventoryId, ore)).id;
    const theirs = (await itemOf(b.inventoryId, rifle)).id;
    const offerPath = `/v1/trades/${trade.id}/offer`;
    const offer = (over: Record<string, unknown>) => ({
      playerId: a.id,
      items: [{ itemId: stack, quantity: 1 }],
      money: [],
      ...over,
    });
    const item = (quantity: unknown) => offer({ items: [{ itemId: stack, quantity }] });
    const coins = (amount: unknown, currency: unknown = 'scrap') =>
      offer({ items: [], money: [{ currency, amount }] });
    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/v1/trades', {}, 400, 'initiatorId'],
      ['POST', '/v1/trades', { initiatorId: 'abc', partnerId: b.id }, 400, 'initiatorId'],
      ['POST', '/v1/trades', { initiatorId: a.id }, 400, 'partnerId'],
      ['POST', '/v1/trades', { initiatorId: a.id, partnerId: a.id }, 400, 'partnerId'],
      ['POST', '/v1/trades', { initiatorId: a.id, partnerId: b.id, extra: 1 }, 400, 'extra'],
      ['POST', '/v1/trades', { initiatorId: randomUUID(), partnerId: b.id }, 404, 'NOT_FOUND'],
      ['PUT', '/v1/trades/not-a-uuid/offer', offer({}), 400, 'id'],
      ['PUT', `/v1/trades/${randomUUID()}/offer`, offer({}), 404, 'NOT_FOUND'],
      ['PUT', offerPath, offer({ playerId: undefined }), 400, 'playerId'],
      ['PUT', offerPath, offer({ items: 'all' }), 400, 'items'],
      ['PUT', offerPath, item(0), 400, 'items.0.quantity'],
      ['PUT', offerPath, item(-1), 400, 'items.0.quantity'],
      ['PUT', offerPath, item(1.5), 400, 'items.0.quantity'],
      ['PUT', offerPath, item('1e3'), 400, 'items.0.quantity'],
      ['PUT', offerPath, item(2 ** 53 + 1), 400, 'items.0.quantity'],
      ['PUT', offerPath, item(6), 400, 'quantity'],
      ['PUT', offerPath, offer({ items: [{ itemId: 'x', quantity: 1 }] }), 400, 'items.0.itemId'],
      [
        'PUT',
        offerPath,
        offer({
          items: [
            { itemId: stack, quantity: 1 },
            { itemId: stack, quantity: 2 },
          ],
        }),
        400,
        'items',
      ],
      ['PUT', offerPath, offer({ items: [{ itemId: theirs, quantity: 1 }] }), 403, 'FORBIDDEN'],
      ['PUT', offerPath, offer({ items: [{ itemId: randomUUID(), quantity: 1 }] }), 404, 'NOT_FOUND'],
      ['PUT', offerPath, coins(0), 400, 'money.0.amount'],
      ['PUT', offerPath, coins(-1), 400, 'money.0.amount'],
      ['PUT', offerPath, coins(1.5), 400, 'money.0.amount'],
      ['PUT', offerPath, coins('1e3'), 400, 'money.0.amount'],
      ['PUT', offerPath, coins(2 ** 53 + 1), 400, 'money.0.amount'],
      ['PUT', offerPath, coins(5, 'gold'), 400, 'money.0.currency'],
      ['PUT', offerPath, coins(11), 422, 'INSUFFICIENT_FUNDS'],
      [
        'PUT',
        offerPath,
        offer({
          money: [
            { currency: 'scrap', amount: 1 },
            { currency: 'scrap', amount: 2 },
          ],
        }),
        400,
        'money',
      ],
      ['POST', `/v1/trades/${trade.id}/accept`, {}, 400, 'playerId'],
      ['POST', `/v1/trades/${trade.id}/accept`, { playerId: a.id, version: -1 }, 400, 'version'],
      ['POST', `/v1/trades/${trade.id}/accept`, { playerId: a.id, version: 'x' }, 400, 'version'],
      ['POST', `/v1/trades/${trade.id}/accept`, { playerId: a.id, version: 7 }, 409, 'CONFLICT'],
      ['POST', `/v1/trades/${trade.id}/accept`, { playerId: randomUUID() }, 403, 'FORBIDDEN'],
      ['DELETE', `/v1/trades/${trade.id}?now=1`, undefined, 400, 'now'],
      ['GET', `/v1/trades/${trade.id}?x=1`, undefined, 400, 'x'],
      ['GET', '/v1/trades/123', undefined, 400, 'id'],
    ];
    const before = await checksum();
    for (const [method, path, body, status, expected] of cases) {
      const reply = await call(method, path, server.headers, body);
      const what = `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(reply.body)}`;
      assert.equal(reply.status, status, what);
      if (status === 400) {
        assert.equal(codeOf(reply), 'VALIDATION_FAILED', what);
        assert.ok(fieldsOf(reply).includes(expected), what);
      } else assert.equal(codeOf(reply), expected, what);
    }
    assert.equal(await checksum(), before);
  });
});
