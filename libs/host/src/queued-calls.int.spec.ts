/**
 * The queue behind `Prefer: respond-async` (issue 12) on a real Redis: calls run once each, in the
 * order accepted, by one drainer at a time; a call left half done by a dead drainer runs again
 * first; a call that can never run goes to the dead letters without holding the others up; a call
 * whose dependency is down waits; a full list refuses new calls.
 */
import assert from 'node:assert/strict';
import { afterAll, afterEach, beforeAll, describe, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { QueuedCallSeal } from '@trustno1/bus';
import { AppError, defineOperation, ErrorCode, type Principal } from '@trustno1/contracts';
import { createRedisClient } from '@trustno1/redis';
import { createTestNamespace, testInfra, type TestNamespace } from '@trustno1/testing';
import { pushQueuedCall, QueuedCallDrainer, queuedCallKeys, type QueuedCallOutcome } from './queued-calls';

const KEYS = [{ id: 'spec', secret: Buffer.from('queued-calls-int-spec-key') }];
const SERVER: Principal = { kind: 'server', serverId: '22222222-2222-4222-8222-222222222222', region: 'eu' };
const QUEUE = 'spec:queue';
const keys = queuedCallKeys(QUEUE);

const op = defineOperation({
  subject: 'spec.thing.do.v1',
  request: z.strictObject({ n: z.int(), fail: z.enum(['refuse', 'unavailable', 'crash']).optional() }),
  reply: z.null(),
  principals: ['server'],
  idempotent: false,
  errors: [],
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, ok: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await pause(25);
  }
}

describe('queued calls (real Redis)', () => {
  let ns: TestNamespace;
  let redis: Redis;
  const seal = new QueuedCallSeal(KEYS, { maxAgeMs: 60_000 });
  const drainers: QueuedCallDrainer<typeof op>[] = [];

  beforeAll(() => {
    ns = createTestNamespace();
    redis = createRedisClient({
      url: testInfra().redisUrl,
      keyPrefix: ns.redisKeyPrefix,
      name: 'queued-calls-spec',
    });
  });

  afterEach(async () => {
    await Promise.all(drainers.splice(0).map((d) => d.stop()));
    await redis.del(keys.queue, keys.processing, keys.lease, keys.dead);
  });

  afterAll(async () => {
    redis?.disconnect();
    await ns?.cleanup();
  });

  const push = (payload: unknown, principal: Principal = SERVER, maxLength = 1000) =>
    pushQueuedCall(redis, seal, { queue: QUEUE, subject: op.subject, principal, payload, maxLength });

  function drainer(
    ran: number[],
    opts: { unavailableTimes?: number; outcomes?: QueuedCallOutcome[]; delayMs?: number } = {},
  ) {
    let unavailable = opts.unavailableTimes ?? 0;
    const d = new QueuedCallDrainer({
      redis,
      queue: QUEUE,
      operation: op,
      seal,
      leaseMs: 1000,
      blockSeconds: 0.2,
      retryDelayMs: 20,
      maxRetryDelayMs: 50,
      maxAttempts: 3,
      run: async (request, principal) => {
        assert.equal(principal.kind, 'server');
        if (opts.delayMs) await pause(opts.delayMs);
        if (request.fail === 'refuse') throw new AppError(ErrorCode.NOT_FOUND, 'gone');
        if (request.fail === 'crash') throw new Error('a bug');
        if (request.fail === 'unavailable' && unavailable-- > 0)
          throw new AppError(ErrorCode.UNAVAILABLE, 'db down');
        ran.push(request.n);
      },
      onOutcome: (o) => opts.outcomes?.push(o),
    });
    drainers.push(d);
    return d;
  }

  const settled = () =>
    until(
      'the queue to drain',
      async () => (await redis.llen(keys.queue)) + (await redis.llen(keys.processing)) === 0,
    );

  it('runs calls pushed before it started, once each, in the order accepted', async () => {
    for (let n = 0; n < 50; n++) await push({ n });
    const ran: number[] = [];
    drainer(ran).start();
    await settled();
    assert.deepEqual(
      ran,
      Array.from({ length: 50 }, (_, n) => n),
    );
  });

  it('keeps the order with two drainers racing: only the lease holder runs calls', async () => {
    const ran: number[] = [];
    drainer(ran, { delayMs: 2 }).start();
    drainer(ran, { delayMs: 2 }).start();
    for (let n = 0; n < 60; n++) await push({ n });
    await settled();
    assert.deepEqual(
      ran,
      Array.from({ length: 60 }, (_, n) => n),
    );
  });

  it('runs first what a dead drainer left in processing, then the rest', async () => {
    await redis.rpush(keys.processing, seal.seal(op.subject, SERVER, { n: 0 }));
    await push({ n: 1 });
    await push({ n: 2 });
    const ran: number[] = [];
    drainer(ran).start();
    await settled();
    assert.deepEqual(ran, [0, 1, 2]);
  });

  it("waits for a dead drainer's lease to expire before taking over", async () => {
    await redis.set(keys.lease, 'a-drainer-that-died', 'PX', 800);
    await push({ n: 7 });
    const ran: number[] = [];
    const started = Date.now();
    drainer(ran).start();
    await settled();
    assert.deepEqual(ran, [7]);
    assert.ok(Date.now() - started >= 700, 'ran only after the lease expired');
  });

  it('dead-letters a call it can never run (refused by the service, forged, wrong kind, failing) and goes on', async () => {
    const outcomes: QueuedCallOutcome[] = [];
    await push({ n: 1 });
    await push({ n: 2, fail: 'refuse' });
    await redis.rpush(
      keys.queue,
      JSON.stringify({ ...JSON.parse(seal.seal(op.subject, SERVER, { n: 3 })), payload: { n: 300 } }),
    );
    await push({ n: 4 }, { kind: 'player', accountId: '33333333-3333-4333-8333-333333333333' });
    await push({ n: 'five' });
    await push({ n: 6, fail: 'crash' });
    await push({ n: 7 });
    const ran: number[] = [];
    drainer(ran, { outcomes }).start();
    await settled();
    assert.deepEqual(ran, [1, 7]);
    const dead = (await redis.lrange(keys.dead, 0, -1)).map(
      (t) => JSON.parse(t) as { reason: string; code?: string; call: string },
    );
    assert.deepEqual(dead.map((d) => [d.reason, d.code ?? null]).reverse(), [
      ['REFUSED', 'NOT_FOUND'],
      ['BAD_SEAL', null],
      ['REFUSED', 'FORBIDDEN'],
      ['REFUSED', 'VALIDATION_FAILED'],
      ['FAILED', 'INTERNAL'],
    ]);
    assert.equal(outcomes.filter((o) => o.kind === 'retry').length, 2, 'the failing call was tried 3 times');
  });

  it('waits out an unavailable dependency without skipping the call or reordering', async () => {
    await push({ n: 1, fail: 'unavailable' });
    await push({ n: 2 });
    const outcomes: QueuedCallOutcome[] = [];
    const ran: number[] = [];
    drainer(ran, { unavailableTimes: 6, outcomes }).start();
    await settled();
    assert.deepEqual(ran, [1, 2]);
    assert.equal(outcomes.filter((o) => o.kind === 'retry').length, 6);
    assert.equal(await redis.llen(keys.dead), 0);
  });

  it('refuses a push past the limit with UNAVAILABLE and leaves the list as it was', async () => {
    await push({ n: 1 }, SERVER, 2);
    await push({ n: 2 }, SERVER, 2);
    await assert.rejects(
      push({ n: 3 }, SERVER, 2),
      (e: unknown) => e instanceof AppError && e.code === ErrorCode.UNAVAILABLE,
    );
    assert.equal(await redis.llen(keys.queue), 2);
  });

  it('stops between calls and gives its lease up', async () => {
    const ran: number[] = [];
    const d = drainer(ran);
    d.start();
    await push({ n: 1 });
    await settled();
    await d.stop();
    assert.equal(await redis.exists(keys.lease), 0);
    await push({ n: 2 });
    await pause(300);
    assert.deepEqual(ran, [1]);
    assert.equal(await redis.llen(keys.queue), 1);
  });
});
