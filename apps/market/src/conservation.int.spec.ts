/**
 * Conservation of money and items under the market's operations (issue 13, SPEC §9): thousands of
 * random operations (list, buy, partial buy, cancel, expire, credit, debit, coins owed through the
 * mailbox, collect) by concurrent workers, each its own connection as the market's role, calling the
 * SQL functions the service calls. Afterwards, per currency, balances plus coins waiting in claims
 * equal sources minus sinks on the ledger; per template, items are conserved; replaying the wallet
 * and item ledgers rebuilds every wallet and inventory; escrows hold exactly what listings and
 * claims say. Direct trades play too: opened between two characters, offers of items and coins,
 * then both accepts, a cancel, or left open for the trade-expiry tick (which also cancels trades
 * other workers are in the middle of); escrows then also hold exactly what open trades say.
 */
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Pool, type PoolClient } from 'pg';
import { appSearchPath, databaseRole, withDatabaseUser, withSearchPath } from '@trustno1/db';
import { stateAndReplay } from '@trustno1/inventory-domain';
import { createTestDatabase, factories, type TestDatabase } from '@trustno1/testing';

const WORKERS = 8;
const OPERATIONS_TOTAL = Number(process.env.MARKET_CONSERVATION_OPS ?? 5000);
const PLAYERS = 24;
const CURRENCIES = ['scrap', 'hqm'] as const;
const TAX_PERCENT = 5;
const FEE_PERCENT = 1;
/** Errors an operation may meet in a random game: a rule refused it, and nothing changed. */
const EXPECTED = new Set([
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'FORBIDDEN',
  'INSUFFICIENT_FUNDS',
  'INSUFFICIENT_QUANTITY',
  'LIMIT_REACHED',
  'SLOT_OCCUPIED',
  'LISTING_SOLD_OUT',
  'LISTING_EXPIRED',
  'LISTING_CANCELLED',
  'OWN_LISTING',
  // A trade closed under a worker's feet (cancelled by the expiry tick): TRADE_CLOSED, TRADE_TIMED_OUT.
  'CONFLICT',
]);

interface World {
  /** The test's own view of the tables (what a game server knows): picks what to act on. */
  peek: Pool;
  server: { kind: 'server'; serverId: string; region: string };
  players: { id: string; inventoryId: string }[];
  listings: string[];
}
interface Op {
  weight: number;
  run: (db: PoolClient, w: World, rnd: () => number) => Promise<unknown>;
}

const pick = <T>(items: readonly T[], rnd: () => number): T => items[Math.floor(rnd() * items.length)];
const between = (lo: number, hi: number, rnd: () => number) => lo + Math.floor(rnd() * (hi - lo + 1));
/** Up to `n` distinct elements of `items`. */
const pickSome = <T>(items: readonly T[], n: number, rnd: () => number): T[] =>
  [...items]
    .map((item) => ({ item, key: rnd() }))
    .sort((x, y) => x.key - y.key)
    .slice(0, n)
    .map((x) => x.item);
const TRADE_TIMEOUT = 60;

/** A seeded generator (mulberry32): a failing run can be replayed with MARKET_CONSERVATION_SEED. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OPERATIONS: Record<string, Op> = {
  credit: {
    weight: 8,
    run: (db, w, rnd) =>
      db.query(`SELECT market.change_wallet($1, NULL, NULL, $2, $3, $4, 'loot', 'conservation')`, [
        w.server,
        pick(w.players, rnd).id,
        pick(CURRENCIES, rnd),
        between(1, 500, rnd),
      ]),
  },
  debit: {
    weight: 6,
    run: (db, w, rnd) =>
      db.query(`SELECT market.change_wallet($1, NULL, NULL, $2, $3, $4, 'npc_purchase', 'conservation')`, [
        w.server,
        pick(w.players, rnd).id,
        pick(CURRENCIES, rnd),
        -between(1, 400, rnd),
      ]),
  },
  list: {
    weight: 20,
    run: async (db, w, rnd) => {
      const seller = pick(w.players, rnd);
      const { rows } = await w.peek.query<{ id: string; quantity: number }>(
        `SELECT i.id, i.quantity FROM inventory.inventory_items i JOIN inventory.inventories v ON v.id = i.inventory_id
          WHERE v.owner_type = 'player' AND v.owner_id = $1`,
        [seller.id],
      );
      if (rows.length === 0) return null;
      const item = pick(rows, rnd);
      const { rows: made } = await db.query<{ r: { id: string } }>(
        `SELECT market.create_listing($1, NULL, NULL, $2, $3, $4, $5, $6, 'global', NULL, $7, $8, 8) AS r`,
        [
          w.server,
          seller.id,
          item.id,
          between(1, item.quantity, rnd),
          between(1, 40, rnd),
          pick(CURRENCIES, rnd),
          between(1, 72, rnd),
          FEE_PERCENT,
        ],
      );
      w.listings.push(made[0].r.id);
      return made;
    },
  },
  buy: {
    weight: 22,
    run: async (db, w, rnd) => {
      if (w.listings.length === 0) return null;
      // Mostly the newest listings (likely still active), sometimes any (closed: refused).
      const listing = pick(rnd() < 0.8 ? w.listings.slice(-30) : w.listings, rnd);
      const quantity = rnd() < 0.5 ? 1 : between(1, 12, rnd);
      const key = rnd() < 0.15 ? randomUUID() : null;
      const args = [w.server, key, key ? 'h'.repeat(64) : null, listing, pick(w.players, rnd).id, quantity];
      const sql = `SELECT market.purchase_listing($1, $2, $3, $4, $5, $6, NULL, ${TAX_PERCENT}) AS r`;
      const first = await db.query(sql, args);
      // A keyed purchase sent again is the same purchase: the stored answer, no second effect.
      if (key) assert.deepEqual((await db.query(sql, args)).rows, first.rows);
      return first;
    },
  },
  cancel: {
    weight: 6,
    run: (db, w, rnd) =>
      w.listings.length === 0
        ? Promise.resolve(null)
        : db.query(`SELECT market.cancel_listing($1, $2)`, [
            rnd() < 0.5 ? w.server : { kind: 'admin' },
            pick(w.listings, rnd),
          ]),
  },
  expire: {
    weight: 4,
    run: (db, _w, rnd) =>
      db.query(`SELECT market.expire_listings(now() + make_interval(hours => $1), 3)`, [between(1, 80, rnd)]),
  },
  owe: {
    weight: 4,
    run: (db, w, rnd) =>
      db.query(`SELECT market.claim_coins($1, $2, $3, $4, 'gift', 'conservation')`, [
        pick(w.players, rnd).id,
        pick(CURRENCIES, rnd),
        between(1, 100, rnd),
        pick(w.players, rnd).id,
      ]),
  },
  trade: {
    weight: 12,
    run: async (db, w, rnd) => {
      const a = pick(w.players, rnd);
      const others = w.players.filter((p) => p.id !== a.id);
      const b = pick(others, rnd);
      const call = async (sql: string, params: unknown[]) =>
        (await db.query<{ r: { id: string; status: string } }>(sql, params)).rows[0].r;
      const trade = await call(`SELECT market.open_trade($1, NULL, NULL, NULL, $2, $3, $4) AS r`, [
        w.server,
        a.id,
        b.id,
        TRADE_TIMEOUT,
      ]);
      for (const p of [a, b]) {
        const { rows } = await w.peek.query<{ id: string; quantity: number }>(
          `SELECT i.id, i.quantity FROM inventory.inventory_items i JOIN inventory.inventories v ON v.id = i.inventory_id
            WHERE v.owner_type = 'player' AND v.owner_id = $1`,
          [p.id],
        );
        const items = pickSome(rows, between(0, 2, rnd), rnd).map((i) => ({
          itemId: i.id,
          quantity: between(1, i.quantity, rnd),
        }));
        const money = rnd() < 0.5 ? [{ currency: pick(CURRENCIES, rnd), amount: between(1, 300, rnd) }] : [];
        await call(`SELECT market.set_trade_offer($1, NULL, NULL, NULL, $2, $3, $4, $5, $6) AS r`, [
          w.server,
          trade.id,
          p.id,
          JSON.stringify(items),
          JSON.stringify(money),
          TRADE_TIMEOUT,
        ]);
      }
      const end = rnd();
      if (end < 0.15)
        return call(`SELECT market.cancel_trade($1, $2, $3) AS r`, [w.server, trade.id, TRADE_TIMEOUT]);
      // Left open: the expiry tick (or nobody) closes it.
      if (end < 0.3) return trade;
      const accept = `SELECT market.accept_trade($1, NULL, NULL, NULL, $2, $3, NULL, $4) AS r`;
      const [first, second] = rnd() < 0.5 ? [a, b] : [b, a];
      await call(accept, [w.server, trade.id, first.id, TRADE_TIMEOUT]);
      return call(accept, [w.server, trade.id, second.id, TRADE_TIMEOUT]);
    },
  },
  expireTrades: {
    weight: 2,
    // A tick past the timeout of every trade: those another worker is in the middle of too.
    run: (db) =>
      db.query(`SELECT market.expire_trades(now() + make_interval(secs => $1), $2)`, [
        TRADE_TIMEOUT + 1,
        TRADE_TIMEOUT,
      ]),
  },
  collect: {
    weight: 10,
    run: async (db, w, rnd) => {
      const player = pick(w.players, rnd);
      const { rows } = await w.peek.query<{ id: string }>(
        `SELECT id FROM market.claims WHERE player_id = $1 AND collected_at IS NULL LIMIT 3`,
        [player.id],
      );
      if (rows.length === 0) return null;
      return db.query(`SELECT market.collect_claim($1, NULL, NULL, $2, $3, NULL)`, [
        w.server,
        player.id,
        pick(rows, rnd).id,
      ]);
    },
  },
};

/** Runs `op`, retrying deadlocks and serialization failures like the service; false when a rule refused it. */
async function attempt(op: () => Promise<unknown>): Promise<boolean> {
  for (let tries = 0; ; tries += 1) {
    try {
      await op();
      return true;
    } catch (error) {
      const e = error as { code?: string; message: string };
      if ((e.code === '40001' || e.code === '40P01') && tries < 8) continue;
      if (e.code === 'P0001' && EXPECTED.has(e.message)) return false;
      throw error;
    }
  }
}

describe('market conservation under concurrent random operations', () => {
  let db: TestDatabase;
  let admin: Pool;
  let market: Pool;
  let world: World;
  const counts = new Map<string, { ok: number; refused: number }>();

  beforeAll(async () => {
    db = await createTestDatabase();
    admin = new Pool({ connectionString: db.url, max: 4 });
    market = new Pool({
      connectionString: withSearchPath(
        withDatabaseUser(db.url, databaseRole('market')),
        appSearchPath('market'),
      ),
      max: WORKERS,
    });
    const f = factories(admin);
    const server = await f.gameServer();
    world = {
      peek: admin,
      server: { kind: 'server', serverId: server.id, region: server.region },
      players: [],
      listings: [],
    };
    const ore = (await f.itemTemplate({ id: 'c_ore', maxStack: 100, weight: 0.01 })).id;
    const gem = (await f.itemTemplate({ id: 'c_gem', maxStack: 10 })).id;
    const rifle = (await f.itemTemplate({ id: 'c_rifle', width: 2, height: 1 })).id;
    for (let i = 0; i < PLAYERS; i += 1) {
      const p = await f.joinedCharacter(server.id, [
        [ore, 60],
        [ore, 40],
        [gem, 10],
        [rifle, 1],
      ]);
      // A quarter of the bags are tiny: purchases and returns must go to claims there.
      if (i % 4 === 0) {
        await admin.query(`UPDATE inventories SET grid_width = 5, grid_height = 1 WHERE id = $1`, [
          p.inventoryId,
        ]);
      }
      world.players.push({ id: p.id, inventoryId: p.inventoryId });
      for (const currency of CURRENCIES) {
        await admin.query(`SELECT market.wallet_move($1, $2, 2000, 'admin_grant', 'seed')`, [p.id, currency]);
      }
    }
  }, 120_000);
  afterAll(async () => {
    await market?.end();
    await admin?.end();
    await db?.drop();
  });

  it(`${OPERATIONS_TOTAL} operations by ${WORKERS} workers conserve every coin and item`, async () => {
    const seed = Number(process.env.MARKET_CONSERVATION_SEED ?? Date.now() % 1_000_000);
    const table = Object.entries(OPERATIONS).flatMap(([name, op]) => Array<string>(op.weight).fill(name));
    const worker = async (n: number) => {
      const rnd = random(seed + n);
      const client = await market.connect();
      try {
        for (let i = 0; i < OPERATIONS_TOTAL / WORKERS; i += 1) {
          const name = pick(table, rnd);
          const ok = await attempt(() => OPERATIONS[name].run(client, world, rnd));
          const c = counts.get(name) ?? { ok: 0, refused: 0 };
          c[ok ? 'ok' : 'refused'] += 1;
          counts.set(name, c);
        }
      } finally {
        client.release();
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, (_, n) => worker(n)));
    process.stdout.write(`conservation (seed ${seed}): ${JSON.stringify(Object.fromEntries(counts))}\n`);
    const done = [...counts.values()].reduce((n, c) => n + c.ok + c.refused, 0);
    assert.equal(done, OPERATIONS_TOTAL, `seed ${seed}`);
    // Every kind of operation happened and succeeded sometimes: the test exercised what it claims.
    for (const name of Object.keys(OPERATIONS)) {
      assert.ok(
        (counts.get(name)?.ok ?? 0) > 0,
        `${name} never succeeded (seed ${seed}): ${JSON.stringify([...counts])}`,
      );
    }
    const closed = await admin.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM market_listings GROUP BY status ORDER BY status`,
    );
    const trades = await admin.query<{ closed: string; n: number }>(
      `SELECT COALESCE(close_reason, 'OPEN') AS closed, count(*)::int AS n FROM trades GROUP BY 1 ORDER BY 1`,
    );
    for (const closed of ['EXECUTED', 'CANCELLED', 'TIMED_OUT']) {
      assert.ok(
        trades.rows.some((r) => r.closed === closed),
        `no ${closed} trade (seed ${seed}): ${JSON.stringify(trades.rows)}`,
      );
    }
    const tradeRows = await admin.query(
      `SELECT t.id FROM trades t WHERE (SELECT count(*) FROM transactions x WHERE x.trade_id = t.id)
                                      <> CASE WHEN t.status = 'executed' THEN 2 ELSE 0 END`,
    );
    assert.deepEqual(tradeRows.rows, []);
    for (const status of ['active', 'sold_out', 'cancelled', 'expired']) {
      assert.ok(
        closed.rows.some((r) => r.status === status),
        `no ${status} listing (seed ${seed})`,
      );
    }

    // Money, per currency: balances + coins waiting in claims = sources - sinks on the ledger.
    const money = await admin.query<{
      currency: string;
      balances: string;
      claims: string;
      sources: string;
      sinks: string;
      transfers: string;
    }>(
      `SELECT c.currency,
              (SELECT COALESCE(sum(balance), 0) FROM wallets w WHERE w.currency = c.currency) AS balances,
              (SELECT COALESCE(sum(amount), 0) FROM claims k WHERE k.currency = c.currency
                  AND k.collected_at IS NULL) AS claims,
              (SELECT COALESCE(sum(delta), 0) FROM wallet_ledger l WHERE l.currency = c.currency
                  AND market.wallet_reason_kind(l.reason) = 'source') AS sources,
              (SELECT COALESCE(sum(delta), 0) FROM wallet_ledger l WHERE l.currency = c.currency
                  AND market.wallet_reason_kind(l.reason) = 'sink') AS sinks,
              (SELECT COALESCE(sum(delta), 0) FROM wallet_ledger l WHERE l.currency = c.currency
                  AND market.wallet_reason_kind(l.reason) = 'transfer') AS transfers
         FROM unnest(enum_range(NULL::currency_type)) AS c(currency) ORDER BY 1`,
    );
    for (const m of money.rows) {
      assert.equal(
        BigInt(m.balances) + BigInt(m.claims),
        BigInt(m.sources) + BigInt(m.sinks),
        `${m.currency}: ${JSON.stringify(m)}`,
      );
      assert.equal(BigInt(m.transfers), -BigInt(m.claims), `${m.currency} transfers`);
    }
    const unknown = await admin.query(
      `SELECT DISTINCT reason FROM wallet_ledger WHERE market.wallet_reason_kind(reason) IS NULL`,
    );
    assert.deepEqual(unknown.rows, []);
    // The sinks are the rules: each listing's fee, each sale's tax rounded down.
    const sinks = await admin.query<{ fees: string; listed: string; tax: string; taxed: string }>(
      `SELECT (SELECT -COALESCE(sum(delta), 0) FROM wallet_ledger WHERE reason = 'listing_fee') AS fees,
              (SELECT COALESCE(sum(listing_fee), 0) FROM market_listings) AS listed,
              (SELECT -COALESCE(sum(delta), 0) FROM wallet_ledger WHERE reason = 'sales_tax') AS tax,
              (SELECT COALESCE(sum(floor(total_price * ${TAX_PERCENT} / 100.0)), 0) FROM transactions
                WHERE transaction_type = 'market_purchase') AS taxed`,
    );
    assert.equal(sinks.rows[0].fees, sinks.rows[0].listed);
    assert.equal(Number(sinks.rows[0].tax), Number(sinks.rows[0].taxed));

    // No negative balance; replaying the wallet ledger rebuilds every wallet.
    const negative = await admin.query(`SELECT * FROM wallets WHERE balance < 0`);
    assert.deepEqual(negative.rows, []);
    const wallets = await admin.query<{ mismatches: number }>(
      `SELECT mismatches FROM market.verify_wallet_ledger()`,
    );
    assert.equal(wallets.rows[0].mismatches, 0);
    const last = await admin.query(
      `SELECT w.player_id, w.currency FROM wallets w
         JOIN LATERAL (SELECT balance_after FROM wallet_ledger l WHERE l.player_id = w.player_id
                         AND l.currency = w.currency ORDER BY id DESC LIMIT 1) l ON true
        WHERE l.balance_after <> w.balance`,
    );
    assert.deepEqual(last.rows, []);

    // Items: per template, what exists is what was created (nothing created or destroyed here),
    // and replaying the item ledger rebuilds every inventory.
    const totals = await admin.query<{ t: string; held: string }>(
      `SELECT item_template_id AS t, sum(quantity) AS held FROM inventory_items GROUP BY 1 ORDER BY 1`,
    );
    assert.deepEqual(
      totals.rows.map((r) => [r.t, Number(r.held)]),
      [
        ['c_gem', PLAYERS * 10],
        ['c_ore', PLAYERS * 100],
        ['c_rifle', PLAYERS],
      ],
    );
    const { state, replay } = await stateAndReplay(admin);
    assert.deepEqual(replay, state);

    // Escrows hold exactly what the listings and claims say, and nothing else holds market items.
    const escrow = await admin.query(
      `SELECT l.id, l.quantity - l.sold_quantity AS remaining, i.quantity AS held
         FROM market_listings l LEFT JOIN inventory_items i ON i.id = l.item_id AND i.inventory_id = l.escrow_inventory_id
        WHERE l.status = 'active' AND i.quantity IS DISTINCT FROM l.quantity - l.sold_quantity`,
    );
    assert.deepEqual(escrow.rows, []);
    const claimed = await admin.query(
      `SELECT c.id FROM claims c LEFT JOIN inventory_items i ON i.id = c.item_id AND i.inventory_id = c.inventory_id
        WHERE c.item_id IS NOT NULL AND c.collected_at IS NULL AND i.quantity IS DISTINCT FROM c.quantity`,
    );
    assert.deepEqual(claimed.rows, []);
    const offered = await admin.query(
      `SELECT o.trade_id, o.item_id FROM trade_items o JOIN trades t ON t.id = o.trade_id AND t.status = 'open'
         LEFT JOIN inventory_items i ON i.id = o.item_id AND i.inventory_id = o.escrow_inventory_id
        WHERE i.quantity IS DISTINCT FROM o.quantity`,
    );
    assert.deepEqual(offered.rows, []);
    const stray = await admin.query(
      `SELECT v.id FROM inventories v JOIN inventory_items i ON i.inventory_id = v.id
        WHERE v.owner_type = 'market'
          AND v.id NOT IN (SELECT escrow_inventory_id FROM market_listings WHERE status = 'active')
          AND v.id NOT IN (SELECT inventory_id FROM claims WHERE collected_at IS NULL AND inventory_id IS NOT NULL)
          AND v.id NOT IN (SELECT o.escrow_inventory_id FROM trade_items o JOIN trades t ON t.id = o.trade_id
                            WHERE t.status = 'open')`,
    );
    assert.deepEqual(stray.rows, []);
    const sold = await admin.query(
      `SELECT l.id FROM market_listings l
        WHERE l.sold_quantity <> (SELECT COALESCE(sum(quantity), 0) FROM transactions t WHERE t.listing_id = l.id)`,
    );
    assert.deepEqual(sold.rows, []);
  }, 600_000);
});
