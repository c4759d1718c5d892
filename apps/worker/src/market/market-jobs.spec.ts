import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import type { Job } from 'bullmq';
import { MarketPriceSubjects } from '@trustno1/contracts';
import { ProcessorRegistry, scheduleNamed } from '@trustno1/queues';
import { fakeBus } from '../testing/fake-bus';
import { PricesUpdateProcessor } from './prices-update.processor';

describe('market jobs', () => {
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
});
