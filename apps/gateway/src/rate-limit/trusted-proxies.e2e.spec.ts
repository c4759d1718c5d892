/**
 * Issue 11, rate limits that hold: an anonymous caller is counted by the socket's address, and
 * X-Forwarded-For is believed only from TRUSTED_PROXIES. Real HTTP sockets, a real Redis window.
 */
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { appEnv, call, startApp, startCluster, type RunningApp, type TestCluster } from '@trustno1/testing';

const LIMIT = 3;

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
});
