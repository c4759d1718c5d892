import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import type { Job } from 'bullmq';
import { MarketPriceSubjects, MarketSubjects, TradeSubjects } from '@trustno1/contracts';
import { ProcessorRegistry, scheduleNamed } from '@trustno1/queues';
import { fakeBus } from '../testing/fake-bus';
import { ListingsExpireProcessor } from './listings-expire.processor';
import { PricesUpdateProcessor } from './prices-update.processor';
import { TradesExpireProcessor } from './trades-expire.processor';

describe('market jobs', () => {
  it('market.listings.expire is enabled, owned by market, every minute', () => {
    const s = scheduleNamed('market.listings.expire');
    assert.deepEqual([s.domain, s.enabled, s.repeat], ['market', true, { every: 60_000 }]);
  });

  it('sends the schedule tick as now, as the admin principal, batch after batch while there is more', async () => {
    const registry = new ProcessorRegistry();
    const replies = [
      { expired: 200, claims: 3, more: true },
      { expired: 7, claims: 0, more: false },
    ];
    const { bus, calls } = fakeBus(() => replies.shift());
    new ListingsExpireProcessor(registry, bus).onModuleInit();
    const tick = Date.UTC(2026, 0, 1, 12, 0);
    const job = {
      name: 'market.listings.expire',
      id: `repeat:market.listings.expire:${tick}`,
      timestamp: tick + 5_000,
    } as Job;
    assert.deepEqual(await registry.handlerFor('schedules')(job), { expired: 207, claims: 3, more: false });
    assert.equal(calls.length, 2);
    for (const c of calls) {
      assert.equal(c.subject, MarketSubjects.expireListings);
      assert.deepEqual(c.payload, { now: new Date(tick).toISOString() });
      assert.deepEqual(c.opts?.principal, { kind: 'admin' });
    }
  });

  it('market.prices.update is enabled, owned by market, every 5 minutes', () => {
    const s = scheduleNamed('market.prices.update');
    assert.deepEqual([s.domain, s.enabled, s.repeat], ['market', true, { every: 300_000 }]);
  });

  it('market.prices.update sends the schedule tick as now, as the admin principal', async () => {
    const registry = new ProcessorRegistry();
    const view = {
      computedThrough: '2026-01-01T12:00:00.000Z',
      skipped: false,
      candles: 2,
      templates: 1,
      removed: 0,
    };
    const { bus, calls } = fakeBus(view);
    new PricesUpdateProcessor(registry, bus).onModuleInit();
    const tick = Date.UTC(2026, 0, 1, 12, 0);
    const job = {
      name: 'market.prices.update',
      id: `repeat:market.prices.update:${tick}`,
      timestamp: tick + 5_000,
    } as Job;
    assert.deepEqual(await registry.handlerFor('schedules')(job), view);
    assert.equal(calls[0].subject, MarketPriceSubjects.update);
    assert.deepEqual(calls[0].payload, { now: new Date(tick).toISOString() });
    assert.deepEqual(calls[0].opts?.principal, { kind: 'admin' });
  });

  it('market.trades.expire is enabled, owned by market, every 15 seconds', () => {
    const s = scheduleNamed('market.trades.expire');
    assert.deepEqual([s.domain, s.enabled, s.repeat], ['market', true, { every: 15_000 }]);
  });

  it('market.trades.expire sends the schedule tick as now, as the admin principal', async () => {
    const registry = new ProcessorRegistry();
    const view = {
      cancelled: 1,
      trades: [{ id: '6d1f3c55-8a0e-4c57-9d8f-3d2f1f1f0a01', reason: 'TIMED_OUT' }],
    };
    const { bus, calls } = fakeBus(view);
    new TradesExpireProcessor(registry, bus).onModuleInit();
    const tick = Date.UTC(2026, 0, 1, 12, 0, 15);
    const job = {
      name: 'market.trades.expire',
      id: `repeat:market.trades.expire:${tick}`,
      timestamp: tick + 1_000,
    } as Job;
    assert.deepEqual(await registry.handlerFor('schedules')(job), view);
    assert.equal(calls[0].subject, TradeSubjects.expire);
    assert.deepEqual(calls[0].payload, { now: new Date(tick).toISOString() });
    assert.deepEqual(calls[0].opts?.principal, { kind: 'admin' });
  });
});
