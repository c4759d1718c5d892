import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import type { Job } from 'bullmq';
import { RaidSubjects } from '@trustno1/contracts';
import { ProcessorRegistry, scheduleNamed } from '@trustno1/queues';
import { fakeBus } from '../testing/fake-bus';
import { RaidsCloseProcessor } from './raids-close.processor';

describe('combat jobs', () => {
  it('raids.close-idle is enabled, owned by combat, every minute', () => {
    const s = scheduleNamed('raids.close-idle');
    assert.deepEqual([s.domain, s.enabled, s.repeat], ['combat', true, { every: 60_000 }]);
  });

  it('raids.close-idle sends the schedule tick as now, as the admin principal', async () => {
    const registry = new ProcessorRegistry();
    const raids = ['6d1f3c55-8a0e-4c57-9d8f-3d2f1f1f0a01'];
    const { bus, calls } = fakeBus({ closed: 1, raids });
    new RaidsCloseProcessor(registry, bus).onModuleInit();
    const tick = Date.UTC(2026, 0, 1, 12, 0);
    const job = {
      name: 'raids.close-idle',
      id: `repeat:raids.close-idle:${tick}`,
      timestamp: tick + 5_000,
    } as Job;
    assert.deepEqual(await registry.handlerFor('schedules')(job), { closed: 1, raids });
    assert.equal(calls[0].subject, RaidSubjects.closeIdle);
    assert.deepEqual(calls[0].payload, { now: new Date(tick).toISOString() });
    assert.deepEqual(calls[0].opts?.principal, { kind: 'admin' });
  });
});
