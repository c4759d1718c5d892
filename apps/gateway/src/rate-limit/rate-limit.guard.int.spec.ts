import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import type { ExecutionContext } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppError, type Principal } from '@trustno1/contracts';
import { createRedisClient } from '@trustno1/redis';
import { createTestNamespace, freePort, testInfra, type TestNamespace } from '@trustno1/testing';
import { RateLimitGuard } from './rate-limit.guard';

function ctxFor(principal: Principal, ip = '10.1.2.3'): ExecutionContext {
  const request = { principal, ip, url: '/v1/x', headers: {} };
  return { switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
}

async function outcome(guard: RateLimitGuard, principal: Principal, ip?: string): Promise<string | number> {
  try {
    await guard.canActivate(ctxFor(principal, ip));
    return 'ok';
  } catch (error) {
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'RATE_LIMITED');
    const retry = (error.details as { retryAfterSeconds: number }).retryAfterSeconds;
    assert.ok(retry >= 1 && retry <= 60, `retry after ${retry}`);
    return retry;
  }
}

describe('RateLimitGuard (real Redis)', () => {
  let ns: TestNamespace;
  let redis: Redis;
  let guard: RateLimitGuard;

  beforeAll(async () => {
    ns = createTestNamespace();
    redis = createRedisClient({ url: testInfra().redisUrl, keyPrefix: ns.redisKeyPrefix });
    await redis.connect();
    guard = new RateLimitGuard(redis, { anonymous: 2, player: 3, server: 5 });
  });
  afterAll(async () => {
    redis?.disconnect();
    await ns?.cleanup();
  });

  it('allows the limit per minute, then answers RATE_LIMITED with a retry time', async () => {
    const p: Principal = { kind: 'player', accountId: 'p-limit' };
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await outcome(guard, p));
    assert.deepEqual(results.slice(0, 3), ['ok', 'ok', 'ok']);
    assert.equal(typeof results[3], 'number');
    assert.equal(typeof results[4], 'number');
  });

  it('counts each principal apart, anonymous callers by address, and never limits admins', async () => {
    const a: Principal = { kind: 'player', accountId: 'p-a' };
    const b: Principal = { kind: 'player', accountId: 'p-b' };
    for (let i = 0; i < 3; i++) assert.equal(await outcome(guard, a), 'ok');
    assert.equal(await outcome(guard, b), 'ok');
    const nobody: Principal = { kind: 'anonymous' };
    assert.equal(await outcome(guard, nobody, '192.0.2.1'), 'ok');
    assert.equal(await outcome(guard, nobody, '192.0.2.1'), 'ok');
    assert.equal(typeof (await outcome(guard, nobody, '192.0.2.1')), 'number');
    assert.equal(await outcome(guard, nobody, '192.0.2.2'), 'ok');
    for (let i = 0; i < 20; i++) assert.equal(await outcome(guard, { kind: 'admin' }), 'ok');
  });

  it('counts in Redis, so every gateway replica shares the window', async () => {
    const s: Principal = { kind: 'server', serverId: 'srv-shared', region: 'eu' };
    const other = new RateLimitGuard(redis, { anonymous: 2, player: 3, server: 5 });
    for (let i = 0; i < 5; i++) assert.equal(await outcome(i % 2 ? guard : other, s), 'ok');
    assert.equal(typeof (await outcome(other, s)), 'number');
  });

  it('lets requests through when Redis is down rather than taking the game offline', async () => {
    const dead = createRedisClient({ url: `redis://127.0.0.1:${await freePort()}` });
    dead.on('error', () => undefined);
    const blind = new RateLimitGuard(dead, { anonymous: 1, player: 1, server: 1 });
    for (let i = 0; i < 3; i++) assert.equal(await outcome(blind, { kind: 'player', accountId: 'x' }), 'ok');
    dead.disconnect();
  });
});
