// Market prices end to end: purchases written straight into market.transactions, the
// market.prices.update schedule's call (sent here over NATS with its tick, as the worker sends it),
// then GET /v1/market/prices/{itemTemplateId} through the gateway by a server, a player and an
// admin; the market keys deleted from Redis are rebuilt by the next read and by the next tick;
// bad input is 400 naming the field and changes nothing.
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { BusClient } from '@trustno1/bus';
import { MarketPriceOps, type MarketPricesView } from '@trustno1/contracts';
import { RedisKeys } from '@trustno1/redis';
import {
  call as callGateway,
  codeOf,
  factories,
  fieldsOf,
  registerServer,
  signUp,
  startCluster,
  TEST_ADMIN_KEY,
  type SignedUpPlayer,
  type TestCluster,
} from '@trustno1/testing';

const ADMIN = { 'x-admin-key': TEST_ADMIN_KEY };
const TICK = '2026-12-04T12:30:00.000Z';
const parsed = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

describe('market prices through the gateway', () => {
  let cluster: TestCluster;
  let pool: Pool;
  let bus: BusClient;
  let server: { headers: Record<string, string> };
  let player: SignedUpPlayer;
  let a: string;
  let quiet: string;

  const get = (path: string, headers: Record<string, string>) =>
    callGateway<MarketPricesView>(cluster.url, 'GET', path, { headers });
  const tick = (now: string) =>
    bus.call(MarketPriceOps.updatePrices, { now }, { principal: { kind: 'admin' } });
  const purchase = (template: string, createdAt: string, quantity: number, totalPrice: number) =>
    pool.query(
      `INSERT INTO market.transactions (id, item_template_id, quantity, total_price, currency, transaction_type, created_at)
       VALUES ($1, $2, $3, $4, 'scrap', 'market_purchase', $5)`,
      [randomUUID(), template, quantity, totalPrice, createdAt],
    );
  const marketKeys = async () => ({
    prices: parsed(await cluster.redis.hget(RedisKeys.marketPrices(a), 'scrap')),
    volume: await cluster.redis.hget(RedisKeys.marketVolume(a), 'scrap'),
    trend: await cluster.redis.hget(RedisKeys.marketTrends(), `${a}:scrap`),
  });
  const flush = () =>
    cluster.redis.del(RedisKeys.marketPrices(a), RedisKeys.marketVolume(a), RedisKeys.marketTrends());
  /** Every row and key a price route could write, hashed. */
  const checksum = async () => {
    const { rows } = await pool.query<{ sum: string }>(
      `SELECT concat_ws(':',
         (SELECT md5(COALESCE(string_agg(c::text, '|' ORDER BY c.item_template_id, c.currency, c.hour), '')) FROM market.price_candles c),
         (SELECT md5(COALESCE(string_agg(s::text, '|' ORDER BY s.item_template_id, s.currency), '')) FROM market.price_stats s),
         (SELECT count(*) FROM market.transactions), (SELECT count(*) FROM platform.idempotency_keys)) AS sum`,
    );
    return `${rows[0].sum}:${JSON.stringify(await marketKeys())}`;
  };

  beforeAll(async () => {
    cluster = await startCluster(['accounts', 'market', 'gateway']);
    pool = cluster.pool;
    bus = new BusClient({ ...cluster.bus, serviceName: 'prices-test' });
    server = await registerServer(cluster.url, TEST_ADMIN_KEY);
    player = await signUp(cluster.url);
    const f = factories(pool);
    a = (await f.itemTemplate()).id;
    quiet = (await f.itemTemplate()).id;
    await purchase(a, '2026-12-04T11:05:00Z', 2, 200);
    await purchase(a, '2026-12-04T11:50:00Z', 3, 270);
    await purchase(a, '2026-12-04T12:10:00Z', 5, 600);
    await purchase(a, '2026-12-03T08:00:00Z', 10, 1_000);
  });
  afterAll(async () => {
    await bus?.close();
    await cluster?.stop();
  });

  const expected = (): MarketPricesView => ({
    itemTemplateId: a,
    currency: 'scrap',
    average: 107, // (200 + 270 + 600) / 10
    volume: 10,
    trend: 7, // against 100 the day before
    updatedAt: TICK,
    history: [
      { hour: '2026-12-03T08:00:00.000Z', open: 100, high: 100, low: 100, close: 100, volume: 10 },
      { hour: '2026-12-04T11:00:00.000Z', open: 100, high: 100, low: 90, close: 90, volume: 5 },
      { hour: '2026-12-04T12:00:00.000Z', open: 120, high: 120, low: 120, close: 120, volume: 5 },
    ],
  });

  it('answers a template without statistics yet with empty figures, and an unknown one 404', async () => {
    const empty = await get(`/v1/market/prices/${a}`, server.headers);
    assert.equal(empty.status, 200, JSON.stringify(empty.body));
    assert.deepEqual(empty.body, {
      itemTemplateId: a,
      currency: 'scrap',
      average: null,
      volume: 0,
      trend: null,
      updatedAt: null,
      history: [],
    });
    const unknown = await get('/v1/market/prices/no_such_template_here', server.headers);
    assert.equal(unknown.status, 404);
    assert.equal(codeOf(unknown), 'NOT_FOUND');
  });

  it('serves the figures of the schedule tick to a server, a player and an admin, from Redis', async () => {
    const result = await tick(TICK);
    assert.deepEqual([result.skipped, result.templates, result.removed], [false, 1, 0]);
    assert.deepEqual(await marketKeys(), {
      prices: expected(),
      volume: '10',
      trend: '7',
    });
    for (const headers of [server.headers, player.headers, ADMIN]) {
      const reply = await get(`/v1/market/prices/${a}?currency=scrap`, headers);
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      assert.deepEqual(reply.body, expected());
    }
    // The answer is Redis's: a value changed there is what the route serves.
    await cluster.redis.hset(
      RedisKeys.marketPrices(a),
      'scrap',
      JSON.stringify({ ...expected(), average: 1 }),
    );
    assert.equal((await get(`/v1/market/prices/${a}`, server.headers)).body.average, 1);
    const hqm = await get(`/v1/market/prices/${a}?currency=hqm`, server.headers);
    assert.deepEqual([hqm.status, hqm.body.volume, hqm.body.history], [200, 0, []]);
  });

  it('rebuilds the market keys from PostgreSQL at the next read after Redis lost them', async () => {
    await flush();
    assert.deepEqual(await marketKeys(), { prices: null, volume: null, trend: null });
    const reply = await get(`/v1/market/prices/${a}`, player.headers);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.deepEqual(reply.body, expected());
    assert.deepEqual(await marketKeys(), { prices: expected(), volume: '10', trend: '7' });
  });

  it('rebuilds the market keys at the next tick after Redis lost them', async () => {
    await flush();
    const again = await tick(TICK);
    assert.equal(again.skipped, false);
    assert.deepEqual(await marketKeys(), { prices: expected(), volume: '10', trend: '7' });
  });

  it('refuses bad input with 400 naming the field, and changes nothing', async () => {
    const before = await checksum();
    const cases: [string, string][] = [
      [`/v1/market/prices/${a}?currency=gold`, 'currency'],
      [`/v1/market/prices/${a}?currency=`, 'currency'],
      [`/v1/market/prices/${a}?currency=SCRAP`, 'currency'],
      [`/v1/market/prices/${a}?currency=scrap&currency=hqm`, 'currency'],
      [`/v1/market/prices/${a}?limit=5`, 'limit'],
      ['/v1/market/prices/Bad-Template', 'itemTemplateId'],
      [`/v1/market/prices/${'x'.repeat(65)}`, 'itemTemplateId'],
      ['/v1/market/prices/wood%20plank', 'itemTemplateId'],
    ];
    for (const [path, field] of cases) {
      const reply = await get(path, server.headers);
      assert.equal(reply.status, 400, `${path}: ${JSON.stringify(reply.body)}`);
      assert.equal(codeOf(reply), 'VALIDATION_FAILED', path);
      assert.ok(fieldsOf(reply).includes(field), `${path}: ${JSON.stringify(reply.body)}`);
    }
    const nobody = await get(`/v1/market/prices/${quiet}`, {});
    assert.equal(nobody.status, 401);
    assert.equal(await checksum(), before);
  });
});
