import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import type { Job } from 'bullmq';
import { SeasonsSubjects } from '@trustno1/contracts';
import { ProcessorRegistry, scheduleNamed } from '@trustno1/queues';
import { fakeBus } from '../testing/fake-bus';
import { LeaderboardsRecomputeProcessor } from './leaderboards-recompute.processor';

describe('seasons jobs', () => {
  it('leaderboards.recompute is enabled, owned by seasons, hourly', () => {
    const s = scheduleNamed('leaderboards.recompute');
    assert.deepEqual([s.domain, s.enabled, s.repeat], ['seasons', true, { pattern: '0 * * * *' }]);
  });

  it('leaderboards.recompute sends the schedule tick as now, as the admin principal', async () => {
    const registry = new ProcessorRegistry();
    const reply = { boards: [{ board: 'wealth', entries: 3 }] };
    const { bus, calls } = fakeBus(reply);
    new LeaderboardsRecomputeProcessor(registry, bus).onModuleInit();
    const tick = Date.UTC(2026, 0, 5, 13, 0);
    const job = {
      name: 'leaderboards.recompute',
      id: `repeat:leaderboards.recompute:${tick}`,
      timestamp: tick + 5_000,
    } as Job;
    assert.deepEqual(await registry.handlerFor('schedules')(job), reply);
    assert.equal(calls[0].subject, SeasonsSubjects.rebuildLeaderboards);
    assert.deepEqual(calls[0].payload, { now: new Date(tick).toISOString() });
    assert.deepEqual(calls[0].opts?.principal, { kind: 'admin' });
  });
});
