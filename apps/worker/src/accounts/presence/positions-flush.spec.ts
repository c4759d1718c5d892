import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import type { Job } from 'bullmq';
import { AccountsSubjects } from '@trustno1/contracts';
import { ProcessorRegistry, scheduleNamed } from '@trustno1/queues';
import { MatchmakingAssignProcessor } from '../matchmaking/matchmaking-assign.processor';
import { PositionsFlushProcessor } from './positions-flush.processor';
import { fakeBus } from '../../testing/fake-bus';

const job = (name: string) => ({ name, id: `${name}.test`, timestamp: Date.now(), opts: {} }) as Job;

describe('presence and matchmaking schedules', () => {
  it('are enabled, owned by accounts, every 10 s and every 2 s', () => {
    assert.deepEqual(
      ['positions.flush', 'matchmaking.assign'].map((n) => {
        const s = scheduleNamed(n as 'positions.flush');
        return [s.domain, s.enabled, s.repeat];
      }),
      [
        ['accounts', true, { every: 10_000 }],
        ['accounts', true, { every: 2_000 }],
      ],
    );
  });

  it('call the accounts subjects as the admin principal, one handler each', async () => {
    const registry = new ProcessorRegistry();
    const flush = fakeBus({ flushed: 3, finalized: 1 });
    const assign = fakeBus({ ran: true, assigned: 2, dropped: 0 });
    new PositionsFlushProcessor(registry, flush.bus).onModuleInit();
    new MatchmakingAssignProcessor(registry, assign.bus).onModuleInit();
    const handler = registry.handlerFor('schedules');

    assert.deepEqual(await handler(job('positions.flush')), { flushed: 3, finalized: 1 });
    assert.deepEqual(await handler(job('matchmaking.assign')), { ran: true, assigned: 2, dropped: 0 });
    assert.equal(flush.calls[0].subject, AccountsSubjects.flushPositions);
    assert.equal(assign.calls[0].subject, AccountsSubjects.assignTickets);
    for (const call of [...flush.calls, ...assign.calls])
      assert.deepEqual(call.opts?.principal, { kind: 'admin' });
  });
});
