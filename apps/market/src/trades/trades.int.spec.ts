// Direct trades on a migrated database, called as the market's own role: offers into escrow, the
// reset on change, the swap on double accept with its ledgers and transactions rows, the re-check
// of coins at execution, cancel and expiry giving items back, the claims when there is no room,
// and the races: one item offered in two trades and listed at once (create_listing), and accepts
// racing each other (the trade executes once).
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import type { TradeView } from '@trustno1/contracts';
import { appSearchPath, databaseRole, withDatabaseUser, withSearchPath } from '@trustno1/db';
import { createTestDatabase, factories, type Factories, type TestDatabase } from '@trustno1/testing';

const TIMEOUT = 60;

interface PgError {
  message: string;
  detail?: string;
}
const rejectsWith = async (work: Promise<unknown>, code: string, detail?: Record<string, unknown>) => {
  await assert.rejects(work, (error: PgError) => {
    assert.equal(error.message, code, `${error.message} ${error.detail ?? ''}`);
    if (detail) {
      const parsed = JSON.parse(error.detail ?? '{}') as Record<string, unknown>;
      for (const [key, value] of Object.entries(detail)) assert.deepEqual(parsed[key], value, key);
    }
    return true;
  });
};

type Principal = { kind: 'server'; serverId: string; region: string } | { kind: 'admin' };
interface Party {
  id: string;
  inventoryId: string;
}

describe('direct trades (market.*_trade functions)', () => {
  let db: TestDatabase;
  let admin: Pool;
  let market: Pool;
  let f: Factories;
  let ore: string;
  let rifle: string;
  let server: Principal & { kind: 'server' };
  const ADMIN: Principal = { kind: 'admin' };

  beforeAll(async () => {
    db = await createTestDatabase();
    admin = new Pool({ connectionString: db.url, max: 4 });
    market = new Pool({
      connectionString: withSearchPath(
        withDatabaseUser(db.url, databaseRole('market')),
        appSearchPath('market'),
      ),
      max: 12,
    });
    f = factories(admin);
    ore = (await f.itemTemplate({ maxStack: 100 })).id;
    rifle = (await f.itemTemplate({ width: 2, height: 1, maxStack: 1 })).id;
    server = { kind: 'server', serverId: (await f.gameServer()).id, region: 'eu-west' };
  });
  afterAll(async () => {
    await market?.end();
    await admin?.end();
    await db?.drop();
  });

  const party = async (
    items: [string, number][] = [],
    coins = 0,
    serverId = server.serverId,
  ): Promise<Party> => {
    const c = await f.joinedCharacter(serverId, items);
    if (coins > 0)
      await market.query(`SELECT market.wallet_move($1, 'scrap', $2, 'admin_grant', 'test')`, [c.id, coins]);
    return { id: c.id, inventoryId: c.inventoryId };
  };
  const itemOf = async (p: Party, template: string) =>
    (
      await admin.query<{ id: string; quantity: number }>(
        `SELECT id, quantity FROM inventory_items WHERE inventory_id = $1 AND item_template_id = $2 ORDER BY id LIMIT 1`,
        [p.inventoryId, template],
      )
    ).rows[0];
  const held = async (p: Party, template: string) =>
    Number(
      (
        await admin.query<{ n: string }>(
          `SELECT COALESCE(sum(i.quantity), 0) AS n FROM inventory_items i JOIN inventories v ON v.id = i.inventory_id
            WHERE v.owner_type = 'player' AND v.owner_id = $1 AND i.item_template_id = $2`,
          [p.id, template],
        )
      ).rows[0].n,
    );
  const balance = async (p: Party) =>
    Number(
      (
        await admin.query<{ b: string }>(
          `SELECT balance AS b FROM wallets WHERE player_id = $1 AND currency = 'scrap'`,
          [p.id],
        )
      ).rows[0].b,
    );
  /** Per template: units held anywhere equal the item ledger's replay (nothing made or lost). */
  const conserved = async (template: string) => {
    const { rows } = await admin.query<{ held: string; replayed: string }>(
      `SELECT (SELECT COALESCE(sum(quantity), 0) FROM inventory_items WHERE item_template_id = $1) AS held,
              (SELECT COALESCE(sum(CASE WHEN to_inventory_id IS NOT NULL THEN quantity ELSE 0 END)
                             - sum(CASE WHEN from_inventory_id IS NOT NULL THEN quantity ELSE 0 END), 0)
                 FROM item_ledger WHERE template_id = $1) AS replayed`,
      [template],
    );
    assert.equal(rows[0].held, rows[0].replayed, `${template} conserved`);
    return Number(rows[0].held);
  };
  /** The outbox events of one trade: subject and the status in the payload. */
  const events = async (tradeId: string) =>
    (
      await admin.query<{ subject: string; status: string }>(
        `SELECT subject, payload ->> 'status' AS status FROM outbox WHERE payload ->> 'id' = $1 ORDER BY created_at`,
        [tradeId],
      )
    ).rows.map((r) => [r.subject, r.status]);
  const walletsAgree = async () => {
    const { rows } = await admin.query<{ mismatches: number }>(
      'SELECT mismatches FROM verify_wallet_ledger()',
    );
    assert.equal(rows[0].mismatches, 0);
  };

  const one = async (sql: string, params: unknown[]): Promise<TradeView> =>
    (await market.query<{ r: TradeView }>(sql, params)).rows[0].r;
  const open = (a: Party, b: Party, who: Principal = server, key: string | null = null) =>
    one(`SELECT market.open_trade($1, $2, $3, $4, $5, $6, $7) AS r`, [
      who,
      key ? 'test-caller' : null,
      key,
      key ? 'hash' : null,
      a.id,
      b.id,
      TIMEOUT,
    ]);
  const offer = (
    trade: string,
    p: Party,
    items: { itemId: string; quantity: number }[],
    money: { currency: string; amount: number }[] = [],
    who: Principal = server,
  ) =>
    one(`SELECT market.set_trade_offer($1, NULL, NULL, NULL, $2, $3, $4, $5, $6) AS r`, [
      who,
      trade,
      p.id,
      JSON.stringify(items),
      JSON.stringify(money),
      TIMEOUT,
    ]);
  const accept = (trade: string, p: Party, version: number | null = null, who: Principal = server) =>
    one(`SELECT market.accept_trade($1, NULL, NULL, NULL, $2, $3, $4, $5) AS r`, [
      who,
      trade,
      p.id,
      version,
      TIMEOUT,
    ]);
  const cancel = (trade: string, who: Principal = server) =>
    one(`SELECT market.cancel_trade($1, $2, $3) AS r`, [who, trade, TIMEOUT]);
  const expire = async (now: Date) =>
    (
      await market.query<{ r: { cancelled: number; trades: { id: string; reason: string }[] } }>(
        'SELECT market.expire_trades($1, $2) AS r',
        [now, TIMEOUT],
      )
    ).rows[0].r;

  it('escrows offers, resets both acceptances on a change, and swaps everything on the second accept', async () => {
    const a = await party([[ore, 10]], 500);
    const b = await party([[rifle, 1]], 0);
    const [oreTotal, rifleTotal] = [await conserved(ore), await conserved(rifle)];
    let trade = await open(a, b);
    assert.deepEqual([trade.status, trade.version, trade.serverId], ['open', 0, server.serverId]);
    const stack = await itemOf(a, ore);
    trade = await offer(
      trade.id,
      a,
      [{ itemId: stack.id, quantity: 3 }],
      [{ currency: 'scrap', amount: 50 }],
    );
    assert.equal(await held(a, ore), 7, 'the offered part left the inventory into escrow');
    assert.deepEqual(
      trade.offers[0].items.map((i) => [i.offeredItemId, i.itemTemplateId, i.quantity]),
      [[stack.id, ore, 3]],
    );
    trade = await accept(trade.id, a, trade.version);
    assert.deepEqual(
      [trade.offers[0].accepted, trade.offers[1].accepted, trade.status],
      [true, false, 'open'],
    );

    const gun = await itemOf(b, rifle);
    trade = await offer(trade.id, b, [{ itemId: gun.id, quantity: 1 }]);
    assert.deepEqual([trade.offers[0].accepted, trade.offers[1].accepted, trade.version], [false, false, 2]);
    // The same offer again is no change: acceptances stay, the version too.
    trade = await accept(trade.id, a);
    trade = await offer(trade.id, b, [{ itemId: gun.id, quantity: 1 }]);
    assert.deepEqual([trade.offers[0].accepted, trade.version], [true, 2]);
    await rejectsWith(accept(trade.id, b, 1), 'CONFLICT', { reason: 'OFFER_CHANGED', version: 2 });

    trade = await accept(trade.id, b, 2);
    assert.deepEqual([trade.status, trade.closeReason], ['executed', 'EXECUTED']);
    assert.deepEqual(
      [await held(a, ore), await held(a, rifle), await held(b, ore), await held(b, rifle)],
      [7, 1, 3, 0],
    );
    assert.deepEqual([await balance(a), await balance(b)], [450, 50]);
    const ledger = await admin.query<{ player_id: string; delta: string; reason: string }>(
      `SELECT player_id, delta, reason FROM wallet_ledger WHERE reference = $1 ORDER BY delta`,
      [trade.id],
    );
    assert.deepEqual(
      ledger.rows.map((r) => [r.player_id, Number(r.delta), r.reason]),
      [
        [a.id, -50, 'trade_out'],
        [b.id, 50, 'trade_in'],
      ],
    );
    const rows = await admin.query(
      `SELECT seller_id, buyer_id, item_template_id, quantity, total_price::int, currency::text, transaction_type::text, details
         FROM transactions WHERE trade_id = $1 ORDER BY item_template_id = $2 DESC`,
      [trade.id, ore],
    );
    assert.deepEqual(rows.rows, [
      {
        seller_id: a.id,
        buyer_id: b.id,
        item_template_id: ore,
        quantity: 3,
        total_price: 50,
        currency: 'scrap',
        transaction_type: 'direct_trade',
        details: {
          items: [{ itemTemplateId: ore, quantity: 3 }],
          money: [{ currency: 'scrap', amount: 50 }],
        },
      },
      {
        seller_id: b.id,
        buyer_id: a.id,
        item_template_id: rifle,
        quantity: 1,
        total_price: 0,
        currency: 'scrap',
        transaction_type: 'direct_trade',
        details: { items: [{ itemTemplateId: rifle, quantity: 1 }], money: [] },
      },
    ]);
    const escrows = await admin.query(
      `SELECT 1 FROM inventories WHERE owner_type = 'market' AND owner_id = $1`,
      [trade.id],
    );
    assert.equal(escrows.rowCount, 0, 'no escrow left behind');
    assert.deepEqual([await conserved(ore), await conserved(rifle)], [oreTotal, rifleTotal]);
    await walletsAgree();
    assert.deepEqual(await events(trade.id), [['evt.market.trade.executed.v1', 'executed']]);
    await rejectsWith(accept(trade.id, a), 'CONFLICT', { reason: 'TRADE_CLOSED', status: 'executed' });
    await rejectsWith(cancel(trade.id), 'CONFLICT', { reason: 'TRADE_CLOSED' });
  });

  it('gives back what an offer change drops, and a cancel gives back everything (a second cancel is a no-op)', async () => {
    const a = await party([
      [ore, 5],
      [rifle, 1],
    ]);
    const b = await party();
    const trade = await open(a, b);
    const [stack, gun] = [await itemOf(a, ore), await itemOf(a, rifle)];
    await offer(trade.id, a, [
      { itemId: stack.id, quantity: 5 },
      { itemId: gun.id, quantity: 1 },
    ]);
    assert.deepEqual([await held(a, ore), await held(a, rifle)], [0, 0]);
    const changed = await offer(trade.id, a, [{ itemId: gun.id, quantity: 1 }]);
    assert.deepEqual(
      changed.offers[0].items.map((i) => i.itemTemplateId),
      [rifle],
    );
    assert.deepEqual([await held(a, ore), await held(a, rifle)], [5, 0]);
    const cancelled = await cancel(trade.id);
    assert.deepEqual([cancelled.status, cancelled.closeReason], ['cancelled', 'CANCELLED']);
    assert.deepEqual([await held(a, ore), await held(a, rifle)], [5, 1]);
    assert.equal((await cancel(trade.id)).status, 'cancelled');
    assert.deepEqual(await events(trade.id), [['evt.market.trade.cancelled.v1', 'cancelled']], 'one event');
    await rejectsWith(offer(trade.id, a, []), 'CONFLICT', { reason: 'TRADE_CLOSED', status: 'cancelled' });
    await conserved(ore);
    await conserved(rifle);
  });

  it('checks the coins again at execution: spent since the offer, the accept is INSUFFICIENT_FUNDS and changes nothing', async () => {
    const a = await party([], 100);
    const b = await party([[ore, 4]]);
    let trade = await open(a, b);
    await offer(trade.id, a, [], [{ currency: 'scrap', amount: 80 }]);
    await rejectsWith(offer(trade.id, b, [], [{ currency: 'scrap', amount: 1 }]), 'INSUFFICIENT_FUNDS');
    trade = await offer(trade.id, b, [{ itemId: (await itemOf(b, ore)).id, quantity: 4 }]);
    await accept(trade.id, b);
    await market.query(`SELECT market.wallet_move($1, 'scrap', -30, 'npc_purchase', 'test')`, [a.id]);
    await rejectsWith(accept(trade.id, a), 'INSUFFICIENT_FUNDS', { balance: 70, required: 80 });
    trade = await one('SELECT market.get_trade($1, $2, $3) AS r', [ADMIN, trade.id, TIMEOUT]);
    assert.deepEqual(
      [trade.status, trade.offers[0].accepted, trade.offers[1].accepted],
      ['open', false, true],
    );
    assert.deepEqual(
      [await balance(a), await balance(b), await held(a, ore), await held(b, ore)],
      [70, 0, 0, 0],
    );
    await walletsAgree();
  });

  it('puts what does not fit in the receiver inventory into their claims', async () => {
    const a = await party([[rifle, 1]]);
    const b = await party();
    // Fill b's 10 x 6 inventory with 60 one-slot stacks.
    await admin.query(
      `SELECT add_item($1, $2, 1, NULL, NULL, NULL, NULL, NULL, 'loot', 'test') FROM generate_series(1, 60)`,
      [b.inventoryId, ore],
    );
    let trade = await open(a, b);
    trade = await offer(trade.id, a, [{ itemId: (await itemOf(a, rifle)).id, quantity: 1 }]);
    await accept(trade.id, a);
    trade = await accept(trade.id, b);
    assert.equal(trade.status, 'executed');
    const claims = await admin.query(
      `SELECT item_template_id, quantity, reason, reference FROM claims WHERE player_id = $1`,
      [b.id],
    );
    assert.deepEqual(claims.rows, [
      { item_template_id: rifle, quantity: 1, reason: 'trade', reference: trade.id },
    ]);
    await conserved(rifle);
  });

  it('refuses other servers, strangers, characters on different servers and trading with oneself', async () => {
    const a = await party([[ore, 2]]);
    const b = await party();
    const elsewhere = await party([], 0, (await f.gameServer()).id);
    const other: Principal = { kind: 'server', serverId: (await f.gameServer()).id, region: 'eu-west' };
    await rejectsWith(open(a, b, other), 'FORBIDDEN', { reason: 'NOT_JOINED_TO_THIS_SERVER' });
    await rejectsWith(open(a, elsewhere, ADMIN), 'CONFLICT', { reason: 'NOT_ON_THE_SAME_SERVER' });
    await rejectsWith(open(a, a), 'VALIDATION_FAILED', { field: 'partnerId' });
    await rejectsWith(open(a, { id: randomUUID(), inventoryId: '' }), 'NOT_FOUND');
    const trade = await open(a, b, ADMIN);
    await rejectsWith(offer(trade.id, a, [], [], other), 'FORBIDDEN', { reason: 'NOT_THIS_SERVERS_TRADE' });
    await rejectsWith(offer(trade.id, elsewhere, []), 'FORBIDDEN', { reason: 'NOT_A_PARTY' });
    // b offering a's item: not b's.
    await rejectsWith(offer(trade.id, b, [{ itemId: (await itemOf(a, ore)).id, quantity: 1 }]), 'FORBIDDEN', {
      reason: 'NOT_YOURS',
    });
    await rejectsWith(
      offer(trade.id, a, [{ itemId: (await itemOf(a, ore)).id, quantity: 3 }]),
      'VALIDATION_FAILED',
      {
        field: 'quantity',
      },
    );
    await rejectsWith(cancel(trade.id, other), 'FORBIDDEN');
    assert.equal(await held(a, ore), 2);
  });

  it('cancels idle trades and trades a character left, at the schedule tick, giving items back', async () => {
    const a = await party([[ore, 6]]);
    const b = await party();
    const idle = await open(a, b);
    await offer(idle.id, a, [{ itemId: (await itemOf(a, ore)).id, quantity: 2 }]);
    const c = await party([[ore, 1]]);
    const d = await party();
    const left = await open(c, d);
    await offer(left.id, c, [{ itemId: (await itemOf(c, ore)).id, quantity: 1 }]);
    const e = await party([[ore, 2]]);
    const g = await party();
    const lingering = await open(e, g);
    await offer(lingering.id, e, [{ itemId: (await itemOf(e, ore)).id, quantity: 2 }]);

    assert.deepEqual(
      (await expire(new Date())).trades.filter((t) => [idle.id, left.id].includes(t.id)),
      [],
    );
    await admin.query(`UPDATE trades SET updated_at = now() - interval '61 seconds' WHERE id = $1`, [
      idle.id,
    ]);
    await admin.query(`UPDATE players SET server_id = NULL, is_online = false WHERE id = $1`, [d.id]);
    // e left in combat: still in the world (server_id kept) until its linger ends, its player gone.
    await admin.query(`UPDATE players SET linger_until = now() + interval '30 seconds' WHERE id = $1`, [
      e.id,
    ]);
    await rejectsWith(open(e, b), 'FORBIDDEN', { reason: 'NOT_JOINED_TO_THIS_SERVER' });
    await rejectsWith(offer(idle.id, a, []), 'CONFLICT', { reason: 'TRADE_TIMED_OUT' });
    await rejectsWith(accept(left.id, c), 'CONFLICT', { reason: 'PLAYER_LEFT' });

    const mine = [idle.id, left.id, lingering.id];
    const done = await expire(new Date());
    assert.deepEqual(
      done.trades.filter((t) => mine.includes(t.id)).sort((x, y) => mine.indexOf(x.id) - mine.indexOf(y.id)),
      [
        { id: idle.id, reason: 'TIMED_OUT' },
        { id: left.id, reason: 'PLAYER_LEFT' },
        { id: lingering.id, reason: 'PLAYER_LEFT' },
      ],
    );
    assert.deepEqual([await held(a, ore), await held(c, ore), await held(e, ore)], [6, 1, 2]);
    const again = await expire(new Date());
    assert.deepEqual(
      again.trades.filter((t) => mine.includes(t.id)),
      [],
      'a tick again does nothing',
    );
    await conserved(ore);
  });

  it('two expiry ticks racing cancel each idle trade once, giving each item back once', async () => {
    const trades: { id: string; owner: Party }[] = [];
    for (let i = 0; i < 6; i += 1) {
      const owner = await party([[ore, 3]]);
      const t = await open(owner, await party());
      await offer(t.id, owner, [{ itemId: (await itemOf(owner, ore)).id, quantity: 3 }]);
      trades.push({ id: t.id, owner });
    }
    const ids = trades.map((t) => t.id);
    await admin.query(`UPDATE trades SET updated_at = now() - interval '2 minutes' WHERE id = ANY($1)`, [
      ids,
    ]);
    const [x, y] = await Promise.all([expire(new Date()), expire(new Date())]);
    const cancelled = [...x.trades, ...y.trades].map((t) => t.id).filter((id) => ids.includes(id));
    assert.deepEqual([...cancelled].sort(), [...ids].sort(), 'each trade cancelled by exactly one tick');
    for (const t of trades) {
      assert.equal(await held(t.owner, ore), 3);
      assert.deepEqual(await events(t.id), [['evt.market.trade.cancelled.v1', 'cancelled']]);
    }
    const returns = await admin.query(
      `SELECT count(*)::int AS n FROM item_ledger WHERE reason = 'trade_return' AND reference = ANY($1)`,
      [ids],
    );
    assert.equal(returns.rows[0].n, ids.length);
    await conserved(ore);
  });

  it('one item offered in two trades and listed at once: exactly one takes it, only that one can execute', async () => {
    const wins = [0, 0, 0];
    for (let round = 0; round < 6; round += 1) {
      // a can pay the listing fee (1 % of 100, at least 1).
      const a = await party([[rifle, 1]], 5);
      const [b, c] = [await party(), await party()];
      const [t1, t2] = [await open(a, b), await open(a, c)];
      const gun = await itemOf(a, rifle);
      const outcomes = await Promise.allSettled([
        offer(t1.id, a, [{ itemId: gun.id, quantity: 1 }]),
        offer(t2.id, a, [{ itemId: gun.id, quantity: 1 }]),
        market.query(
          `SELECT market.create_listing($1, NULL, NULL, $2, $3, 1, 100, 'scrap', 'global', NULL, 24, 1, 20) AS r`,
          [server, a.id, gun.id],
        ),
      ]);
      const won = outcomes.map((o) => o.status === 'fulfilled');
      assert.equal(won.filter(Boolean).length, 1, JSON.stringify(outcomes.map((o) => o.status)));
      wins[won.indexOf(true)] += 1;
      for (const o of outcomes) {
        if (o.status === 'rejected') {
          assert.equal((o.reason as PgError).message, 'FORBIDDEN');
          assert.equal(JSON.parse((o.reason as PgError).detail ?? '{}').reason, 'ITEM_IN_ESCROW');
        }
      }
      // Both trades go to accept: only the one holding the rifle hands it over.
      for (const [trade, partner] of [
        [t1, b],
        [t2, c],
      ] as const) {
        await accept(trade.id, partner);
        assert.equal((await accept(trade.id, a)).status, 'executed');
      }
      const received = [await held(b, rifle), await held(c, rifle)];
      assert.deepEqual(received, won[0] ? [1, 0] : won[1] ? [0, 1] : [0, 0], `round ${round}`);
      const listed = await admin.query(
        `SELECT count(*)::int AS n FROM market_listings WHERE seller_id = $1 AND status = 'active'`,
        [a.id],
      );
      assert.equal(listed.rows[0].n, won[2] ? 1 : 0);
      await conserved(rifle);
    }
    assert.equal(wins[0] + wins[1] + wins[2], 6);
  });

  it('accepts racing each other execute the trade exactly once', async () => {
    for (let round = 0; round < 5; round += 1) {
      const a = await party([[ore, 10]], 1_000);
      const b = await party([], 1_000);
      let trade = await open(a, b);
      trade = await offer(trade.id, a, [{ itemId: (await itemOf(a, ore)).id, quantity: 10 }]);
      trade = await offer(trade.id, b, [], [{ currency: 'scrap', amount: 300 }]);
      const racers = Array.from({ length: 20 }, (_, i) => accept(trade.id, i % 2 === 0 ? a : b));
      const outcomes = await Promise.allSettled(racers);
      const executed = outcomes.filter((o) => o.status === 'fulfilled' && o.value.status === 'executed');
      for (const o of outcomes) {
        if (o.status === 'rejected') {
          assert.equal((o.reason as PgError).message, 'CONFLICT');
          assert.equal(JSON.parse((o.reason as PgError).detail ?? '{}').reason, 'TRADE_CLOSED');
        }
      }
      assert.equal(executed.length, 1, `round ${round}`);
      assert.deepEqual([await balance(a), await balance(b), await held(b, ore)], [1_300, 700, 10]);
      const rows = await admin.query('SELECT count(*)::int AS n FROM transactions WHERE trade_id = $1', [
        trade.id,
      ]);
      assert.equal(rows.rows[0].n, 2);
      assert.deepEqual(await events(trade.id), [['evt.market.trade.executed.v1', 'executed']]);
      await walletsAgree();
    }
    await conserved(ore);
  });

  it('replays an open with the same idempotency key without a second trade', async () => {
    const a = await party();
    const b = await party();
    const key = `k-${randomUUID()}`;
    const [first, second] = [await open(a, b, server, key), await open(a, b, server, key)];
    assert.equal(first.id, second.id);
    const { rows } = await admin.query('SELECT count(*)::int AS n FROM trades WHERE initiator_id = $1', [
      a.id,
    ]);
    assert.equal(rows[0].n, 1);
  });
});
