// update_market_prices against the real database: a fixed set of purchases (rows written straight
// into market.transactions at known instants) gives known candles, averages, volumes and trends;
// a tick again changes nothing, an older tick is skipped, a purchase committed late is counted by
// the next tick, and 7 days later the candles and statistics are dropped.
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { MarketPricesView } from '@trustno1/contracts';
import { factories, openTestStores, type TestStores } from '@trustno1/testing';

const T = new Date('2026-12-04T12:30:00.000Z');
const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);

interface Update {
  computedThrough: string;
  skipped: boolean;
  candles: number;
  snapshots: MarketPricesView[];
  removed: { itemTemplateId: string; currency: string }[];
}

describe('update_market_prices', () => {
  let stores: TestStores;
  let pool: Pool;
  let a: string;
  let b: string;

  const purchase = (
    template: string,
    createdAt: Date,
    quantity: number,
    totalPrice: number,
    currency = 'scrap',
    type = 'market_purchase',
  ) =>
    pool.query(
      `INSERT INTO market.transactions (id, item_template_id, quantity, total_price, currency, transaction_type, created_at)
       VALUES ($1, $2, $3, $4, $5::market.currency_type, $6::market.transaction_type, $7)`,
      [randomUUID(), template, quantity, totalPrice, currency, type, createdAt],
    );
  const update = async (now: Date): Promise<Update> =>
    (await pool.query<{ r: Update }>('SELECT market.update_market_prices($1) AS r', [now])).rows[0].r;
  const snapshot = async (template: string, currency = 'scrap'): Promise<MarketPricesView | null> =>
    (
      await pool.query<{ r: MarketPricesView | null }>(
        'SELECT market.price_snapshot($1, $2::market.currency_type) AS r',
        [template, currency],
      )
    ).rows[0].r;
  const tables = async () =>
    (
      await pool.query<{ sum: string }>(
        `SELECT concat_ws(':',
           (SELECT md5(COALESCE(string_agg(c::text, '|' ORDER BY c.item_template_id, c.currency, c.hour), '')) FROM market.price_candles c),
           (SELECT md5(COALESCE(string_agg(s::text, '|' ORDER BY s.item_template_id, s.currency), '')) FROM market.price_stats s)) AS sum`,
      )
    ).rows[0].sum;

  beforeAll(async () => {
    stores = await openTestStores();
    pool = stores.pool;
    const f = factories(pool);
    [a, b] = [(await f.itemTemplate()).id, (await f.itemTemplate()).id];
    // Template a in scrap: four purchases in the last 24 h, one in the 24 h before, one 3 days
    // ago, one 8 days ago (beyond the history); a direct trade and a purchase at the tick itself
    // do not count. In hqm, one purchase. Template b: only a purchase 8 days ago.
    await purchase(a, at('2026-12-04T11:05:00Z'), 2, 200); // 100 each
    await purchase(a, at('2026-12-04T11:40:00Z'), 1, 130); // 130
    await purchase(a, at('2026-12-04T11:50:00Z'), 3, 270); // 90
    await purchase(a, at('2026-12-04T12:10:00Z'), 4, 440); // 110
    await purchase(a, at('2026-12-03T06:30:00Z'), 5, 400); // 80, the previous 24 h
    await purchase(a, at('2026-12-01T10:15:00Z'), 1, 50); // 3 days ago: history only
    await purchase(a, at('2026-11-26T10:15:00Z'), 1, 9_999); // 8 days ago: nowhere
    await purchase(a, at('2026-12-04T11:10:00Z'), 1, 1_000_000, 'scrap', 'direct_trade');
    await purchase(a, T, 1, 1_000_000);
    await purchase(a, at('2026-12-04T11:30:00Z'), 3, 20, 'hqm'); // 6.6667 each
    await purchase(b, at('2026-11-26T09:00:00Z'), 2, 10);
  });
  afterAll(() => stores?.close());

  it('computes the candles, the 24 h average and volume, and the trend against the 24 h before', async () => {
    const result = await update(T);
    assert.equal(result.skipped, false);
    assert.equal(result.computedThrough, T.toISOString());
    assert.equal(result.candles, 5);
    const scrap = await snapshot(a);
    assert.deepEqual(scrap, {
      itemTemplateId: a,
      currency: 'scrap',
      average: 104, // (200 + 130 + 270 + 440) / (2 + 1 + 3 + 4)
      volume: 10,
      trend: 30, // 104 against 80: +30 %
      updatedAt: T.toISOString(),
      history: [
        { hour: '2026-12-01T10:00:00.000Z', open: 50, high: 50, low: 50, close: 50, volume: 1 },
        { hour: '2026-12-03T06:00:00.000Z', open: 80, high: 80, low: 80, close: 80, volume: 5 },
        { hour: '2026-12-04T11:00:00.000Z', open: 100, high: 130, low: 90, close: 90, volume: 6 },
        { hour: '2026-12-04T12:00:00.000Z', open: 110, high: 110, low: 110, close: 110, volume: 4 },
      ],
    });
    assert.deepEqual(await snapshot(a, 'hqm'), {
      itemTemplateId: a,
      currency: 'hqm',
      average: 6.6667,
      volume: 3,
      trend: null,
      updatedAt: T.toISOString(),
      history: [
        {
          hour: '2026-12-04T11:00:00.000Z',
          open: 6.6667,
          high: 6.6667,
          low: 6.6667,
          close: 6.6667,
          volume: 3,
        },
      ],
    });
    assert.equal(await snapshot(b), null, 'nothing within 7 days');
    assert.deepEqual(
      result.snapshots.filter((s) => s.itemTemplateId === a).map((s) => s.currency),
      ['scrap', 'hqm'],
    );
    assert.equal(result.snapshots.length, 2);
  });

  it('is idempotent for a tick, and an older tick changes nothing', async () => {
    const before = await tables();
    const again = await update(T);
    assert.equal(again.skipped, false);
    assert.equal(await tables(), before);
    const late = await update(new Date(T.getTime() - HOUR));
    assert.equal(late.skipped, true);
    assert.equal(late.computedThrough, T.toISOString());
    assert.equal(late.snapshots.length, 2, 'a skipped tick still answers what is held');
    assert.equal(await tables(), before);
  });

  it('counts at the next tick a purchase committed after a tick with an earlier time', async () => {
    await purchase(a, at('2026-12-04T12:20:00Z'), 1, 170); // committed late: before T, after its run
    await purchase(a, at('2026-12-04T12:40:00Z'), 5, 500); // 100 each
    const next = new Date('2026-12-04T13:00:00Z');
    await update(next);
    const scrap = await snapshot(a);
    // The last 24 h now also has the purchase at T (1,000,000 for 1), the late one and the 12:40 one.
    assert.equal(scrap?.volume, 10 + 1 + 1 + 5);
    assert.equal(scrap?.average, Number(((1040 + 1_000_000 + 170 + 500) / 17).toFixed(4)));
    assert.deepEqual(scrap?.history.at(-1), {
      hour: '2026-12-04T12:00:00.000Z',
      open: 110,
      high: 1_000_000,
      low: 100,
      close: 100,
      volume: 4 + 1 + 1 + 5,
    });
    assert.equal(scrap?.updatedAt, next.toISOString());
  });

  it('drops the candles older than 7 days and the statistics without any candle left', async () => {
    const week = new Date('2026-12-11T12:30:00Z');
    const result = await update(week);
    // Hours from 2026-12-04T13:00 on are kept (168 hours up to the tick's); nothing is left.
    assert.deepEqual(
      result.removed.map((r) => `${r.itemTemplateId}:${r.currency}`).sort(),
      [`${a}:hqm`, `${a}:scrap`].sort(),
    );
    assert.equal(await snapshot(a), null);
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM market.price_candles');
    assert.equal(rows[0].n, 0);
  });

  it('keeps the candles within 7 days with a null average when the last 24 h had no purchase', async () => {
    await purchase(a, at('2026-12-12T09:15:00Z'), 2, 30); // 15 each
    const result = await update(new Date('2026-12-14T10:00:00Z'));
    assert.equal(result.snapshots.length, 1);
    assert.deepEqual(await snapshot(a), {
      itemTemplateId: a,
      currency: 'scrap',
      average: null,
      volume: 0,
      trend: null,
      updatedAt: '2026-12-14T10:00:00.000Z',
      history: [{ hour: '2026-12-12T09:00:00.000Z', open: 15, high: 15, low: 15, close: 15, volume: 2 }],
    });
  });
});
