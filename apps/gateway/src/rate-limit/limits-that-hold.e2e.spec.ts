/**
 * Issue 11, rate limits that hold: an anonymous caller is counted by the socket's address, and
 * X-Forwarded-For is believed only from TRUSTED_PROXIES; an address that fails to authenticate too
 * often is refused before its next guess is checked. Real HTTP sockets, a real Redis window.
 */
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { RedisKeys } from '@trustno1/redis';
import { appEnv, call, startApp, startCluster, type RunningApp, type TestCluster } from '@trustno1/testing';

const LIMIT = 3;
/** Below LIMIT, so a refused login is the failed-authentication limit's, not the anonymous one's. */
const FAILED_AUTH = 2;

describe('anonymous rate limits and X-Forwarded-For', () => {
  let cluster: TestCluster;
  let behindProxy: RunningApp;

  beforeAll(async () => {
    cluster = await startCluster(['accounts', 'gateway'], { RATE_LIMIT_ANONYMOUS_PER_MINUTE: String(LIMIT) });
    behindProxy = await startApp(
      'gateway',
      appEnv(cluster.db, cluster.ns, {
        RATE_LIMIT_ANONYMOUS_PER_MINUTE: String(LIMIT),
        TRUSTED_PROXIES: '127.0.0.1, ::1, ::ffff:127.0.0.1',
        RATE_LIMIT_FAILED_AUTH_PER_MINUTE: String(FAILED_AUTH),
        // The anonymous limit is not what this gateway tests: failures are.
      }),
    );
  });

  afterAll(async () => {
    await behindProxy?.kill();
    await cluster?.stop();
  });

  /**
   * A failed login (401) as an anonymous caller claiming to be `forwardedFor`, each for another
   * unknown account, so the per-account login lockout stays out of the count.
   */
  let n = 0;
  const attempt = (base: string, forwardedFor: string) =>
    call(base, 'POST', '/v1/sessions', {
      headers: { 'x-forwarded-for': forwardedFor },
      body: { login: `nobody_${process.pid}_${n++}`, password: 'not-the-password' },
    });

  it('ignores a forged X-Forwarded-For when no proxy is trusted: every claim counts against the socket', async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= LIMIT; i++) statuses.push((await attempt(cluster.url, `203.0.113.${i + 1}`)).status);
    assert.deepEqual(statuses.slice(0, LIMIT), Array(LIMIT).fill(401));
    assert.equal(statuses[LIMIT], 429, JSON.stringify(statuses));
  });

  it('counts each client apart behind a trusted proxy', async () => {
    for (let i = 0; i <= LIMIT; i++) {
      const reply = await attempt(behindProxy.url, `198.51.100.${i + 1}`);
      assert.equal(reply.status, 401, `client ${i + 1}: ${reply.status}`);
    }
    // One client past its own limit is still limited.
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) statuses.push((await attempt(behindProxy.url, '198.51.100.200')).status);
    statuses.push((await attempt(behindProxy.url, '198.51.100.200')).status);
    assert.equal(statuses[LIMIT], 429, JSON.stringify(statuses));
  });

  it('refuses a TRUSTED_PROXIES entry that is not an address, naming the variable', async () => {
    await assert.rejects(
      startApp('gateway', appEnv(cluster.db, cluster.ns, { TRUSTED_PROXIES: 'proxy.example' })),
      (error: Error) => /TRUSTED_PROXIES/.test(error.message),
    );
  });

  it('refuses an address after too many failed authentications, before checking its next key', async () => {
    const from = { 'x-forwarded-for': '192.0.2.77' };
    const keys = Array.from({ length: FAILED_AUTH + 2 }, (_, i) => `guess-${i}-${randomUUID()}`);
    const statuses: number[] = [];
    for (const key of keys) {
      const reply = await call(behindProxy.url, 'GET', '/v1/catalog/items', {
        headers: { ...from, 'x-server-key': key },
      });
      statuses.push(reply.status);
    }
    assert.deepEqual(statuses.slice(0, FAILED_AUTH), Array(FAILED_AUTH).fill(401));
    assert.deepEqual(statuses.slice(FAILED_AUTH), [429, 429]);
    // The refused guesses never reached the accounts service: it caches every key it looks up.
    const cached = async (key: string) =>
      cluster.redis.exists(RedisKeys.serverKey(createHash('sha256').update(key).digest('hex')));
    assert.equal(await cached(keys[0]), 1);
    for (const key of keys.slice(FAILED_AUTH)) assert.equal(await cached(key), 0);
    // Another address is not affected.
    const other = await call(behindProxy.url, 'GET', '/v1/catalog/items', {
      headers: { 'x-forwarded-for': '192.0.2.78', 'x-server-key': 'another-guess' },
    });
    assert.equal(other.status, 401);
  });

  it('stops a password-guessing address before Argon2, whatever accounts it tries', async () => {
    const replies = [];
    for (let i = 0; i < FAILED_AUTH + 1; i++) replies.push(await attempt(behindProxy.url, '192.0.2.90'));
    assert.deepEqual(
      replies.map((r) => r.status),
      [...Array(FAILED_AUTH).fill(401), 429],
    );
    assert.match(JSON.stringify(replies[FAILED_AUTH].body), /failedAuthPerMinute/);
  });
});
