import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import type { Job } from 'bullmq';
import { MarketSubjects } from '@trustno1/contracts';
import { ProcessorRegistry, scheduleNamed } from '@trustno1/queues';
import { fakeBus } from '../testing/fake-bus';
import { ListingsExpireProcessor } from './listings-expire.processor';

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
});
