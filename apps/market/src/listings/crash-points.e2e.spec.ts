/**
 * Crash points (issue 13): the market service as a real process, spoken to over NATS as a game
 * server would, SIGKILLed again and again in the middle of a stream of keyed purchases. An
 * unacknowledged purchase is retried with its Idempotency-Key until it is. Each purchase is all or
 * nothing (debit, credit, tax, item move, transactions row), and a key has one effect however often
 * it is sent: every buyer pays exactly once per purchase, every unit ends with exactly one buyer.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { BusClient } from '@trustno1/bus';
import { AppError, ErrorCode, MarketOps, type Principal, type PurchaseView } from '@trustno1/contracts';
import { factories, startApp, startCluster, type RunningApp, type TestCluster } from '@trustno1/testing';

const LANES = 12;
const PURCHASES = 10;
const UNITS = 2;
const PRICE = 3;
const KILLS_AT_LEAST = 5;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('market service under crashes (NATS, real process)', () => {
  let cluster: TestCluster;
  let bus: BusClient;
  let server: Principal;
  let serverId: string;
  let current: RunningApp;
  const restarted: RunningApp[] = [];

  beforeAll(async () => {
    cluster = await startCluster(['market'], { SALES_TAX_PERCENT: '5', LISTING_FEE_PERCENT: '1' });
    current = cluster.app('market');
    bus = new BusClient({ ...cluster.bus, serviceName: 'market-crash-points' });
    const game = await factories(cluster.pool).gameServer();
    serverId = game.id;
    server = { kind: 'server', serverId: game.id, region: game.region };
  });

  afterAll(async () => {
    await bus?.close();
    await Promise.all(restarted.map((app) => app.kill()));
    await cluster?.stop();
  });

  const totals = async () =>
    (
      await cluster.pool.query<{ item_template_id: string; n: string }>(
        `SELECT item_template_id, sum(quantity)::text AS n FROM inventory_items GROUP BY 1 ORDER BY 1`,
      )
    ).rows;

  it(`applies every keyed purchase exactly once while the service is killed ≥${KILLS_AT_LEAST} times`, async () => {
    const f = factories(cluster.pool);
    const ore = (await f.itemTemplate({ id: 'crash_ore', maxStack: 100 })).id;
    const lanes = [];
    for (let j = 0; j < LANES; j++) {
      const seller = await f.joinedCharacter(serverId, [[ore, PURCHASES * UNITS]]);
      const buyer = await f.joinedCharacter(serverId);
      await cluster.pool.query(`SELECT market.wallet_move($1, 'scrap', 1000, 'admin_grant', 'crash')`, [
        buyer.id,
      ]);
      await cluster.pool.query(`SELECT market.wallet_move($1, 'scrap', 100, 'admin_grant', 'crash')`, [
        seller.id,
      ]);
      const [{ id: itemId }] = (
        await cluster.pool.query<{ id: string }>(`SELECT id FROM inventory_items WHERE inventory_id = $1`, [
          seller.inventoryId,
        ])
      ).rows;
      const listing = await bus.call(
        MarketOps.createListing,
        {
          sellerId: seller.id,
          itemId,
          quantity: PURCHASES * UNITS,
          pricePerUnit: PRICE,
          currency: 'scrap',
          locationType: 'global',
          expiresInHours: 24,
        },
        { principal: server },
      );
      lanes.push({ seller, buyer, listing });
    }
    const totalsBefore = await totals();
    const first = new Map<string, PurchaseView>();
    const unexpected: string[] = [];
    let acked = 0;
    let retries = 0;
    // Closed while the service restarts, so the stream cannot run out while a slow machine boots it.
    let gate: Promise<void> = Promise.resolve();
    const streams = lanes.map(async ({ buyer, listing }, j) => {
      for (let k = 0; k < PURCHASES; k++) {
        const key = `buy-${j}-${k}`;
        for (;;) {
          await gate;
          try {
            const reply = await bus.request<PurchaseView>(
              MarketOps.purchaseListing.subject,
              { listingId: listing.id, buyerId: buyer.id, quantity: UNITS },
              { principal: server, idempotencyKey: key, timeoutMs: 3_000 },
            );
            if (!first.has(key)) first.set(key, reply);
            acked++;
            break;
          } catch (error) {
            if (!(error instanceof AppError) || error.code !== ErrorCode.UNAVAILABLE) {
              unexpected.push(`${key}: ${String(error)}`);
              return;
            }
            retries++;
            await pause(50);
          }
        }
      }
    });
    let done = false;
    const streaming = Promise.all(streams).then(() => (done = true));
    let kills = 0;
    while (!done && kills < KILLS_AT_LEAST * 2) {
      const mark = acked;
      while (!done && acked - mark < 8) await pause(10);
      if (done) break;
      let open = () => {};
      gate = new Promise<void>((resolve) => (open = resolve));
      await current.kill();
      kills++;
      try {
        current = await startApp('market', cluster.env);
        restarted.push(current);
      } finally {
        open();
      }
    }
    await streaming;
    process.stdout.write(
      `# market crash points: ${LANES * PURCHASES} purchases, ${kills} kills, ${retries} retried attempts\n`,
    );

    assert.deepEqual(unexpected, []);
    assert.ok(kills >= KILLS_AT_LEAST, `${kills} kills`);
    assert.ok(retries > 0, 'some purchases were cut off by a kill and retried with their key');
    assert.equal(first.size, LANES * PURCHASES);

    const total = PRICE * UNITS;
    const tax = Math.floor((total * 5) / 100);
    for (const [j, { seller, buyer, listing }] of lanes.entries()) {
      // One transactions row, one debit, one credit and one tax per key: all or nothing, once.
      const { rows: tx } = await cluster.pool.query<{ id: string }>(
        `SELECT id FROM transactions WHERE listing_id = $1 ORDER BY id`,
        [listing.id],
      );
      const replied = Array.from(
        { length: PURCHASES },
        (_, k) => first.get(`buy-${j}-${k}`)?.transaction.id ?? '',
      );
      assert.deepEqual(
        tx.map((t) => t.id),
        [...replied].sort(),
        `lane ${j}: one row per key, the one replied`,
      );
      const { rows: ledger } = await cluster.pool.query<{ reason: string; n: number; sum: string }>(
        `SELECT reason, count(*)::int AS n, sum(delta)::text AS sum FROM wallet_ledger
          WHERE reference = $1 GROUP BY reason ORDER BY reason`,
        [`listing:${listing.id}`],
      );
      assert.deepEqual(
        ledger.map((r) => [r.reason, r.n, Number(r.sum)]),
        [
          ['listing_fee', 1, -Math.max(1, Math.ceil((PURCHASES * UNITS * PRICE) / 100))],
          ['market_purchase', PURCHASES, -PURCHASES * total],
          ['market_sale', PURCHASES, PURCHASES * total],
          ...(tax > 0 ? [['sales_tax', PURCHASES, -PURCHASES * tax]] : []),
        ],
      );
      const { rows: state } = await cluster.pool.query(
        `SELECT sold_quantity, status FROM market_listings WHERE id = $1`,
        [listing.id],
      );
      assert.deepEqual(state[0], { sold_quantity: PURCHASES * UNITS, status: 'sold_out' });
      const { rows: bought } = await cluster.pool.query<{ n: string }>(
        `SELECT COALESCE(sum(quantity), 0)::text AS n FROM inventory_items WHERE inventory_id = $1`,
        [buyer.inventoryId],
      );
      assert.equal(Number(bought[0].n), PURCHASES * UNITS);
      const { rows: money } = await cluster.pool.query<{ buyer: string; seller: string }>(
        `SELECT (SELECT balance FROM wallets WHERE player_id = $1 AND currency = 'scrap')::text AS buyer,
                (SELECT balance FROM wallets WHERE player_id = $2 AND currency = 'scrap')::text AS seller`,
        [buyer.id, seller.id],
      );
      assert.equal(Number(money[0].buyer), 1000 - PURCHASES * total);
      const fee = Math.max(1, Math.ceil((PURCHASES * UNITS * PRICE) / 100));
      assert.equal(Number(money[0].seller), 100 - fee + PURCHASES * (total - tax));
    }
    const verified = await cluster.pool.query<{ mismatches: number }>(
      `SELECT mismatches FROM market.verify_wallet_ledger()`,
    );
    assert.equal(verified.rows[0].mismatches, 0);
    assert.deepEqual(await totals(), totalsBefore, 'no item lost or duplicated');
  });
});
