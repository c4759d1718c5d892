import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { type Pool } from 'pg';
import type { Redis } from 'ioredis';
import { BusClient } from '@trustno1/bus';
import { AccountsSubjects, type AppError, type Principal } from '@trustno1/contracts';
import { RedisKeys } from '@trustno1/redis';
import {
  factories,
  type RunningApp,
  startCluster,
  type TestCluster,
  TEST_ADMIN_KEY as ADMIN_KEY,
} from '@trustno1/testing';
import { base32Encode, totpCode } from '../../../accounts/src/accounts/totp';

const PASSWORD = 'Gl4cier-Wolf-Ember';

interface Reply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of many shapes, checked by the assertions
  body: any;
  headers: Headers;
}
interface Call {
  body?: unknown;
  raw?: string;
  token?: string;
  admin?: boolean;
  serverKey?: string;
  headers?: Record<string, string>;
}

describe('accounts, sessions, 2FA, bans and premium through the gateway', () => {
  let cluster: TestCluster;
  let gateway: RunningApp;
  let pool: Pool;
  let redis: Redis;
  let bus: BusClient;

  beforeAll(async () => {
    cluster = await startCluster(['accounts', 'gateway'], {
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '100000',
      RATE_LIMIT_PLAYER_PER_MINUTE: '100000',
    });
    ({ pool, redis } = cluster);
    gateway = cluster.app('gateway');
    bus = new BusClient({ ...cluster.bus, serviceName: 'accounts-e2e' });
  });

  afterAll(async () => {
    await bus?.close();
    await cluster?.stop();
  });

  async function api(method: string, path: string, call: Call = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...call.headers };
    if (call.body !== undefined || call.raw !== undefined) headers['content-type'] = 'application/json';
    if (call.token) headers.authorization = `Bearer ${call.token}`;
    if (call.admin) headers['x-admin-key'] = ADMIN_KEY;
    if (call.serverKey) headers['x-server-key'] = call.serverKey;
    const response = await fetch(`${gateway.url}${path}`, {
      method,
      headers,
      body: call.raw ?? (call.body === undefined ? undefined : JSON.stringify(call.body)),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  }

  const unique = (prefix: string) => `${prefix}_${randomBytes(5).toString('hex')}`;

  async function register(over: Partial<{ username: string; email: string; password: string }> = {}) {
    const username = over.username ?? unique('u');
    const body = {
      username,
      email: over.email ?? `${username}@Example.test`,
      password: over.password ?? PASSWORD,
    };
    const reply = await api('POST', '/v1/accounts', { body });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    return { ...reply.body, password: body.password } as {
      id: string;
      username: string;
      email: string;
      password: string;
    };
  }

  async function login(loginName: string, password = PASSWORD, totp?: string): Promise<Reply> {
    return api('POST', '/v1/sessions', {
      body: totp === undefined ? { login: loginName, password } : { login: loginName, password, totp },
    });
  }

  async function session(account: { username: string; password: string }): Promise<string> {
    const reply = await login(account.username, account.password);
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    return reply.body.token as string;
  }

  /** What bad input must leave untouched: accounts, TOTP rows, idempotency records and sessions. */
  async function snapshot() {
    const { rows } = await pool.query(
      `SELECT (SELECT count(*) FROM accounts)::int AS accounts, (SELECT count(*) FROM account_totp)::int AS totp,
              (SELECT count(*) FROM idempotency_keys)::int AS keys, (SELECT count(*) FROM outbox)::int AS outbox,
              (SELECT count(*) FROM accounts WHERE banned)::int AS banned,
              (SELECT count(*) FROM accounts WHERE premium_expires IS NOT NULL)::int AS premium`,
    );
    return { ...rows[0], sessions: await redis.scard(RedisKeys.sessionsActive()) };
  }

  function assertFieldError(reply: Reply, field: string, label: string) {
    assert.equal(reply.status, 400, `${label}: ${JSON.stringify(reply.body)}`);
    assert.equal(reply.body.error.code, 'VALIDATION_FAILED', label);
    const fields = (reply.body.error.details?.fields ?? []).map((f: { field: string }) => f.field);
    assert.ok(fields.includes(field), `${label}: expected ${field} in ${JSON.stringify(fields)}`);
  }

  /** Keeps a TOTP test away from a step boundary, so "now − 30 s" means one step back. */
  async function midStep(): Promise<void> {
    const into = (Date.now() / 1000) % 30;
    if (into < 3 || into > 26) await new Promise((resolve) => setTimeout(resolve, ((33 - into) % 30) * 1000));
  }
  const codeAt = (secret: string, offsetSeconds: number) =>
    totpCode(secret, new Date(Date.now() + offsetSeconds * 1000));

  describe('registration', () => {
    it('creates the account: email lower-cased, username as given, an outbox event, no secret in the reply', async () => {
      const username = unique('Mixed');
      const reply = await api('POST', '/v1/accounts', {
        body: { username, email: `${username}@EXAMPLE.test`, password: PASSWORD },
      });
      assert.equal(reply.status, 201);
      assert.deepEqual(Object.keys(reply.body).sort(), ['createdAt', 'email', 'id', 'username']);
      assert.equal(reply.body.username, username);
      assert.equal(reply.body.email, `${username.toLowerCase()}@example.test`);
      const row = await pool.query(`SELECT email, password_hash FROM accounts WHERE id = $1`, [
        reply.body.id,
      ]);
      assert.match(row.rows[0].password_hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      const events = await pool.query(
        `SELECT payload FROM outbox WHERE subject = 'evt.accounts.account.registered.v1'`,
      );
      assert.ok(events.rows.some((e) => e.payload.accountId === reply.body.id));
    });

    it('refuses a taken username or email whatever the case (409)', async () => {
      const a = await register();
      const sameName = await api('POST', '/v1/accounts', {
        body: {
          username: a.username.toUpperCase(),
          email: `${unique('x')}@example.test`,
          password: PASSWORD,
        },
      });
      assert.equal(sameName.status, 409);
      assert.equal(sameName.body.error.code, 'USERNAME_TAKEN');
      const sameEmail = await api('POST', '/v1/accounts', {
        body: { username: unique('y'), email: a.email.toUpperCase(), password: PASSWORD },
      });
      assert.equal(sameEmail.status, 409);
      assert.equal(sameEmail.body.error.code, 'EMAIL_TAKEN');
    });

    it('gives exactly one 201 to 50 parallel registrations of one username', async () => {
      const username = unique('race');
      const replies = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          api('POST', '/v1/accounts', {
            body: { username, email: `${username}${i}@example.test`, password: PASSWORD },
          }),
        ),
      );
      assert.equal(replies.filter((r) => r.status === 201).length, 1);
      assert.ok(
        replies
          .filter((r) => r.status !== 201)
          .every((r) => r.status === 409 && r.body.error.code === 'USERNAME_TAKEN'),
      );
      const rows = await pool.query(
        `SELECT count(*)::int AS n FROM accounts WHERE lower(username) = lower($1)`,
        [username],
      );
      assert.equal(rows.rows[0].n, 1);
    });

    it('replays the 201 for the same Idempotency-Key and body, and refuses another body with 409', async () => {
      const key = randomUUID();
      const username = unique('idem');
      const body = { username, email: `${username}@example.test`, password: PASSWORD };
      const first = await api('POST', '/v1/accounts', { body, headers: { 'idempotency-key': key } });
      const again = await api('POST', '/v1/accounts', { body, headers: { 'idempotency-key': key } });
      assert.equal(first.status, 201);
      assert.equal(again.status, 201);
      assert.deepEqual(again.body, first.body);
      const before = await snapshot();
      const otherEmail = await api('POST', '/v1/accounts', {
        body: { ...body, email: `other${username}@example.test` },
        headers: { 'idempotency-key': key },
      });
      assert.equal(otherEmail.status, 409);
      assert.equal(otherEmail.body.error.code, 'IDEMPOTENCY_KEY_REUSED');
      const otherPassword = await api('POST', '/v1/accounts', {
        body: { ...body, password: 'An0ther-Long-Secret' },
        headers: { 'idempotency-key': key },
      });
      assert.equal(otherPassword.status, 409);
      assert.equal(otherPassword.body.error.code, 'IDEMPOTENCY_KEY_REUSED');
      assert.deepEqual(await snapshot(), before);
    });

    it('refuses bad bodies with 400 naming the field and writes nothing', async () => {
      const before = await snapshot();
      const ok = { username: unique('bad'), email: 'bad@example.test', password: PASSWORD };
      const cases: Array<[string, Call, string]> = [
        ['username wrong type', { body: { ...ok, username: 42 } }, 'username'],
        ['email missing', { body: { username: ok.username, password: PASSWORD } }, 'email'],
        ['unknown field', { body: { ...ok, admin: true } }, 'admin'],
        ['username too long', { body: { ...ok, username: 'a'.repeat(33) } }, 'username'],
        ['username bad characters', { body: { ...ok, username: 'no spaces' } }, 'username'],
        ['email too long', { body: { ...ok, email: `${'e'.repeat(300)}@example.test` } }, 'email'],
        ['email not an email', { body: { ...ok, email: 'nope' } }, 'email'],
        ['password too short', { body: { ...ok, password: 'short12' } }, 'password'],
        ['password of 129 code points', { body: { ...ok, password: '🐺'.repeat(129) } }, 'password'],
        ['1 MB password', { body: { ...ok, password: 'x'.repeat(1_000_000) } }, 'password'],
        ['common password', { body: { ...ok, password: 'PassWord123' } }, 'password'],
        ['password wrong type', { body: { ...ok, password: ['a'] } }, 'password'],
        ['malformed JSON', { raw: '{"username": "x",' }, '(body)'],
        ['array body', { body: [ok] }, '(body)'],
      ];
      for (const [label, call, field] of cases)
        assertFieldError(await api('POST', '/v1/accounts', call), field, label);
      assert.deepEqual(await snapshot(), before);
    });

    it('keeps a Unicode password whole (128 emoji work, no normalisation)', async () => {
      const password = '🐺'.repeat(128);
      const a = await register({ password });
      assert.equal((await login(a.username, password)).status, 201);
      assert.equal((await login(a.username, '🐺'.repeat(127))).status, 401);
      const composed = await register({ password: 'caf\u00e9-au-lait-9' });
      assert.equal((await login(composed.username, 'cafe\u0301-au-lait-9')).status, 401);
    });
  });

  describe('sessions', () => {
    it('logs in by username (any case) or email, sets last_login, and serves /me', async () => {
      const a = await register();
      const byName = await login(a.username.toUpperCase());
      assert.equal(byName.status, 201);
      assert.deepEqual(Object.keys(byName.body).sort(), ['accountId', 'expiresAt', 'token']);
      assert.equal(byName.body.accountId, a.id);
      const ttl = Date.parse(byName.body.expiresAt) - Date.now();
      assert.ok(ttl > 23.9 * 3600_000 && ttl <= 24 * 3600_000, `expiresAt ${byName.body.expiresAt}`);
      const byEmail = await login(a.email.toUpperCase());
      assert.equal(byEmail.status, 201);
      const me = await api('GET', '/v1/accounts/me', { token: byEmail.body.token });
      assert.equal(me.status, 200);
      assert.deepEqual(Object.keys(me.body).sort(), [
        'createdAt',
        'email',
        'id',
        'lastLogin',
        'premiumExpires',
        'twoFactorEnabled',
        'username',
      ]);
      assert.equal(me.body.id, a.id);
      assert.equal(me.body.twoFactorEnabled, false);
      assert.ok(Math.abs(Date.parse(me.body.lastLogin) - Date.now()) < 60_000);
      // The token is stored only as a hash.
      assert.equal(await redis.exists(RedisKeys.session(byEmail.body.token)), 0);
    });

    it('answers the same 401 for an unknown login and a wrong password', async () => {
      const a = await register();
      const unknown = await login(unique('nobody'));
      const wrong = await login(a.username, 'Wrong-Password-77');
      assert.equal(unknown.status, 401);
      assert.equal(wrong.status, 401);
      const strip = (r: Reply) => ({ ...r.body.error, requestId: undefined });
      assert.deepEqual(strip(unknown), strip(wrong));
      assert.equal(unknown.body.error.code, 'INVALID_CREDENTIALS');
    });

    it('locks the account on the 6th attempt, even with the right password (429 + Retry-After)', async () => {
      const a = await register();
      for (let i = 0; i < 5; i++) assert.equal((await login(a.username, `Wrong-Password-${i}`)).status, 401);
      const locked = await login(a.email, PASSWORD);
      assert.equal(locked.status, 429);
      assert.equal(locked.body.error.code, 'RATE_LIMITED');
      const retryAfter = Number(locked.headers.get('retry-after'));
      assert.ok(retryAfter > 590 && retryAfter <= 600, `Retry-After ${retryAfter}`);
      assert.equal(locked.body.error.details.retryAfterSeconds, retryAfter);
    });

    it('counts parallel guesses before verifying them: of 20 at once, at most 5 are checked', async () => {
      const a = await register();
      const replies = await Promise.all(
        Array.from({ length: 20 }, (_, i) => login(a.username, `Wrong-Guess-${i}`)),
      );
      assert.equal(replies.filter((r) => r.status === 401).length, 5);
      assert.equal(replies.filter((r) => r.status === 429).length, 15);
    });

    it('clears failures on a successful login', async () => {
      const a = await register();
      for (let i = 0; i < 4; i++) await login(a.username, `Wrong-Password-${i}`);
      assert.equal((await login(a.username)).status, 201);
      assert.equal(await redis.exists(RedisKeys.loginFailures(a.id)), 0);
      for (let i = 0; i < 4; i++) assert.equal((await login(a.username, `Wrong-Password-${i}`)).status, 401);
      assert.equal((await login(a.username)).status, 201);
    });

    it('logs out: the token stops at once, other sessions live on', async () => {
      const a = await register();
      const token = await session(a);
      const other = await session(a);
      const out = await api('DELETE', '/v1/sessions/current', { token });
      assert.equal(out.status, 204);
      assert.equal((await api('GET', '/v1/accounts/me', { token })).status, 401);
      assert.equal((await api('DELETE', '/v1/sessions/current', { token })).status, 401);
      assert.equal((await api('GET', '/v1/accounts/me', { token: other })).status, 200);
    });

    it('refuses bad login bodies with 400 naming the field, creating no session', async () => {
      const before = await snapshot();
      const cases: Array<[string, Call, string]> = [
        ['login missing', { body: { password: PASSWORD } }, 'login'],
        ['login wrong type', { body: { login: 7, password: PASSWORD } }, 'login'],
        ['login too long', { body: { login: 'l'.repeat(256), password: PASSWORD } }, 'login'],
        ['1 MB password', { body: { login: 'someone', password: 'x'.repeat(1_000_000) } }, 'password'],
        ['totp not 6 digits', { body: { login: 'someone', password: PASSWORD, totp: '12345' } }, 'totp'],
        ['totp wrong type', { body: { login: 'someone', password: PASSWORD, totp: 123456 } }, 'totp'],
        ['unknown field', { body: { login: 'someone', password: PASSWORD, remember: true } }, 'remember'],
        ['malformed JSON', { raw: '{"login":' }, '(body)'],
      ];
      for (const [label, call, field] of cases)
        assertFieldError(await api('POST', '/v1/sessions', call), field, label);
      assert.deepEqual(await snapshot(), before);
    });
  });

  describe('two-factor authentication', () => {
    it('enrols (again replaces the pending secret), verifies a code from 30 s ago, then demands codes at login', async () => {
      const a = await register();
      const token = await session(a);
      const first = await api('POST', '/v1/accounts/me/2fa', { token });
      assert.equal(first.status, 201);
      const second = await api('POST', '/v1/accounts/me/2fa', { token });
      assert.equal(second.status, 201);
      const secret = second.body.secret as string;
      assert.notEqual(secret, first.body.secret);
      assert.match(secret, /^[A-Z2-7]{32}$/);
      assert.equal(
        second.body.otpauthUrl,
        `otpauth://totp/TRUST-NO-1:${a.username}?secret=${secret}&issuer=TRUST-NO-1`,
      );
      const stored = await pool.query(`SELECT secret, enabled_at FROM account_totp WHERE account_id = $1`, [
        a.id,
      ]);
      assert.equal(stored.rows.length, 1);
      assert.equal(stored.rows[0].enabled_at, null);
      assert.match(stored.rows[0].secret, /^v1\.[\w-]+\.[\w-]+\.[\w-]+$/, 'sealed at rest');
      assert.ok(!stored.rows[0].secret.includes(secret));
      // Before verification, login needs no code.
      assert.equal((await login(a.username)).status, 201);

      await midStep();
      assert.equal(
        (
          await api('POST', '/v1/accounts/me/2fa/verify', {
            token,
            body: { code: codeAt(first.body.secret, 0) },
          })
        ).status,
        401,
      );
      const verified = await api('POST', '/v1/accounts/me/2fa/verify', {
        token,
        body: { code: codeAt(secret, -30) },
      });
      assert.equal(verified.status, 204, JSON.stringify(verified.body));
      assert.equal((await api('GET', '/v1/accounts/me', { token })).body.twoFactorEnabled, true);
      const again = await api('POST', '/v1/accounts/me/2fa', { token });
      assert.equal(again.status, 409);

      const missing = await login(a.username);
      assert.equal(missing.status, 401);
      assert.equal(missing.body.error.code, 'TOTP_REQUIRED');
      const old = await login(a.username, PASSWORD, codeAt(secret, -90));
      assert.equal(old.status, 401);
      assert.equal(old.body.error.code, 'TOTP_INVALID');
      assert.equal(
        await redis.zcard(RedisKeys.loginFailures(a.id)),
        1,
        'a wrong code counts as a failed login',
      );
      const code = codeAt(secret, 0);
      assert.equal((await login(a.username, PASSWORD, code)).status, 201);
      const replay = await login(a.username, PASSWORD, code);
      assert.equal(replay.status, 401);
      assert.equal(replay.body.error.code, 'TOTP_INVALID');
    });

    it('replays an enrolment with the same Idempotency-Key without keeping the secret in the clear', async () => {
      const a = await register();
      const token = await session(a);
      const key = { 'idempotency-key': `totp-${randomBytes(6).toString('hex')}` };
      const first = await api('POST', '/v1/accounts/me/2fa', { token, headers: key });
      const again = await api('POST', '/v1/accounts/me/2fa', { token, headers: key });
      assert.equal(first.status, 201);
      assert.deepEqual(again.body, first.body);
      const secret = first.body.secret as string;
      const records = await pool.query(`SELECT response::text AS response FROM idempotency_keys`);
      assert.ok(records.rows.length > 0);
      for (const row of records.rows) assert.ok(!String(row.response).includes(secret));
    });

    it('accepts a login code from 30 s ago, refuses one from 90 s ago, and accepts one code once under a race', async () => {
      // A plain base32 secret, as rows from before sealing hold them: still read.
      const a = await register();
      const secret = base32Encode(randomBytes(20));
      await pool.query(`INSERT INTO account_totp (account_id, secret, enabled_at) VALUES ($1, $2, now())`, [
        a.id,
        secret,
      ]);
      await pool.query(`UPDATE accounts SET two_factor_enabled = TRUE WHERE id = $1`, [a.id]);
      await midStep();
      assert.equal((await login(a.username, PASSWORD, codeAt(secret, -90))).status, 401);
      assert.equal((await login(a.username, PASSWORD, codeAt(secret, -30))).status, 201);
      const code = codeAt(secret, 0);
      const replies = await Promise.all(Array.from({ length: 10 }, () => login(a.username, PASSWORD, code)));
      assert.equal(replies.filter((r) => r.status === 201).length, 1);
    });

    it('verifies one code once under 10 parallel verifications', async () => {
      const a = await register();
      const token = await session(a);
      const secret = (await api('POST', '/v1/accounts/me/2fa', { token })).body.secret as string;
      await midStep();
      const code = codeAt(secret, 0);
      const replies = await Promise.all(
        Array.from({ length: 10 }, () =>
          api('POST', '/v1/accounts/me/2fa/verify', { token, body: { code } }),
        ),
      );
      assert.equal(replies.filter((r) => r.status === 204).length, 1);
    });

    it('refuses bad verify bodies with 400 naming the field and changes nothing', async () => {
      const a = await register();
      const token = await session(a);
      await api('POST', '/v1/accounts/me/2fa', { token });
      const before = await snapshot();
      const cases: Array<[string, Call, string]> = [
        ['code missing', { body: {} }, 'code'],
        ['code wrong type', { body: { code: 123456 } }, 'code'],
        ['code too long', { body: { code: '1234567' } }, 'code'],
        ['unknown field', { body: { code: '123456', secret: 'x' } }, 'secret'],
        ['malformed JSON', { raw: '{"code"' }, '(body)'],
      ];
      for (const [label, call, field] of cases) {
        assertFieldError(await api('POST', '/v1/accounts/me/2fa/verify', { ...call, token }), field, label);
      }
      assert.deepEqual(await snapshot(), before);
      const row = await pool.query(`SELECT enabled_at FROM account_totp WHERE account_id = $1`, [a.id]);
      assert.equal(row.rows[0].enabled_at, null);
    });
  });

  describe('bans and premium (admin)', () => {
    it('ends every open session at once, refuses logins with reason and expiry, and lifts on DELETE', async () => {
      const a = await register();
      const [one, two] = [await session(a), await session(a)];
      const expiresAt = new Date(Date.now() + 3600_000).toISOString();
      const ban = await api('POST', `/v1/admin/accounts/${a.id}/ban`, {
        admin: true,
        body: { reason: 'speed hack', expiresAt },
      });
      assert.equal(ban.status, 204);
      assert.equal((await api('GET', '/v1/accounts/me', { token: one })).status, 401);
      assert.equal((await api('GET', '/v1/accounts/me', { token: two })).status, 401);
      const refused = await login(a.username);
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, 'ACCOUNT_BANNED');
      assert.deepEqual(refused.body.error.details, { reason: 'speed hack', expiresAt });
      const events = await pool.query(
        `SELECT payload FROM outbox WHERE subject = 'evt.accounts.account.banned.v1'`,
      );
      assert.ok(events.rows.some((e) => e.payload.accountId === a.id && e.payload.reason === 'speed hack'));
      assert.equal((await api('DELETE', `/v1/admin/accounts/${a.id}/ban`, { admin: true })).status, 204);
      assert.equal((await login(a.username)).status, 201);
    });

    it('a ban without expiry stays; an expired ban lifts by itself at the next login', async () => {
      const a = await register();
      assert.equal(
        (await api('POST', `/v1/admin/accounts/${a.id}/ban`, { admin: true, body: { reason: 'forever' } }))
          .status,
        204,
      );
      const refused = await login(a.username);
      assert.deepEqual(refused.body.error.details, { reason: 'forever', expiresAt: null });
      await pool.query(`UPDATE accounts SET ban_expires = now() - interval '1 minute' WHERE id = $1`, [a.id]);
      assert.equal((await login(a.username)).status, 201);
      const row = await pool.query(`SELECT banned, ban_reason, ban_expires FROM accounts WHERE id = $1`, [
        a.id,
      ]);
      assert.deepEqual(row.rows[0], { banned: false, ban_reason: null, ban_expires: null });
    });

    it('sets premium until a date', async () => {
      const a = await register();
      const until = new Date(Date.now() + 30 * 86400_000).toISOString();
      const key = randomUUID();
      const grant = await api('POST', `/v1/admin/accounts/${a.id}/premium`, {
        admin: true,
        body: { until },
        headers: { 'idempotency-key': key },
      });
      assert.equal(grant.status, 204);
      const replay = await api('POST', `/v1/admin/accounts/${a.id}/premium`, {
        admin: true,
        body: { until },
        headers: { 'idempotency-key': key },
      });
      assert.equal(replay.status, 204);
      const me = await api('GET', '/v1/accounts/me', { token: await session(a) });
      assert.equal(me.body.premiumExpires, until);
    });

    it('answers 404 for an unknown account and 400 for a bad id or body, changing nothing', async () => {
      const a = await register();
      const before = await snapshot();
      const nobody = randomUUID();
      for (const [method, path, body] of [
        ['POST', `/v1/admin/accounts/${nobody}/ban`, { reason: 'x' }],
        ['DELETE', `/v1/admin/accounts/${nobody}/ban`, undefined],
        ['POST', `/v1/admin/accounts/${nobody}/premium`, { until: new Date().toISOString() }],
      ] as const) {
        const reply = await api(method, path, { admin: true, body });
        assert.equal(reply.status, 404, path);
        assert.equal(reply.body.error.code, 'NOT_FOUND');
      }
      const ban = `/v1/admin/accounts/${a.id}/ban`;
      const premium = `/v1/admin/accounts/${a.id}/premium`;
      const cases: Array<[string, string, Call, string]> = [
        ['bad id', '/v1/admin/accounts/not-a-uuid/ban', { body: { reason: 'x' } }, 'id'],
        ['reason missing', ban, { body: {} }, 'reason'],
        ['reason empty', ban, { body: { reason: '' } }, 'reason'],
        ['reason wrong type', ban, { body: { reason: 5 } }, 'reason'],
        ['reason too long', ban, { body: { reason: 'r'.repeat(501) } }, 'reason'],
        ['expiresAt not a date', ban, { body: { reason: 'x', expiresAt: 'tomorrow' } }, 'expiresAt'],
        [
          'expiresAt in the past',
          ban,
          { body: { reason: 'x', expiresAt: '2001-01-01T00:00:00Z' } },
          'expiresAt',
        ],
        ['unknown field', ban, { body: { reason: 'x', permanent: true } }, 'permanent'],
        ['malformed JSON', ban, { raw: '{"reason":' }, '(body)'],
        ['until missing', premium, { body: {} }, 'until'],
        ['until wrong type', premium, { body: { until: 12 } }, 'until'],
        ['premium unknown field', premium, { body: { until: new Date().toISOString(), tier: 2 } }, 'tier'],
      ];
      for (const [label, path, call, field] of cases)
        assertFieldError(await api('POST', path, { ...call, admin: true }), field, label);
      assert.deepEqual(await snapshot(), before);
    });
  });

  describe('password change', () => {
    it('needs the current password, refuses weak ones, and ends every session', async () => {
      const a = await register();
      const [one, two] = [await session(a), await session(a)];
      const wrong = await api('PUT', '/v1/accounts/me/password', {
        token: one,
        body: { currentPassword: 'Not-The-Password-1', newPassword: 'Brand-New-Secret-42' },
      });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error.code, 'INVALID_CREDENTIALS');
      const before = await snapshot();
      const cases: Array<[string, Call, string]> = [
        ['common', { body: { currentPassword: PASSWORD, newPassword: 'password123' } }, 'newPassword'],
        ['short', { body: { currentPassword: PASSWORD, newPassword: 'short' } }, 'newPassword'],
        ['1 MB', { body: { currentPassword: PASSWORD, newPassword: 'x'.repeat(1_000_000) } }, 'newPassword'],
        ['current missing', { body: { newPassword: 'Brand-New-Secret-42' } }, 'currentPassword'],
        [
          'unknown field',
          { body: { currentPassword: PASSWORD, newPassword: 'Brand-New-Secret-42', x: 1 } },
          'x',
        ],
        ['malformed JSON', { raw: '{' }, '(body)'],
      ];
      for (const [label, call, field] of cases) {
        assertFieldError(await api('PUT', '/v1/accounts/me/password', { ...call, token: one }), field, label);
      }
      assert.deepEqual(await snapshot(), before);
      const changed = await api('PUT', '/v1/accounts/me/password', {
        token: one,
        body: { currentPassword: PASSWORD, newPassword: 'Brand-New-Secret-42' },
      });
      assert.equal(changed.status, 204);
      assert.equal((await api('GET', '/v1/accounts/me', { token: one })).status, 401);
      assert.equal((await api('GET', '/v1/accounts/me', { token: two })).status, 401);
      assert.equal((await login(a.username)).status, 401);
      assert.equal((await login(a.username, 'Brand-New-Secret-42')).status, 201);
    });
  });

  describe('authorization: route × principal', () => {
    it('opens each route only to its principals', async () => {
      const a = await register();
      const player = await session(a);
      const server = await factories(pool).gameServer();
      const target = (await register()).id;
      type Who = 'nobody' | 'player' | 'server' | 'admin';
      const as = (who: Who): Call =>
        who === 'player'
          ? { token: player }
          : who === 'server'
            ? { serverKey: server.apiKey }
            : who === 'admin'
              ? { admin: true }
              : {};
      const routes: Array<[string, string, unknown, Partial<Record<Who, number>>]> = [
        ['GET', '/v1/accounts/me', undefined, { nobody: 401, player: 200, server: 403, admin: 403 }],
        ['POST', '/v1/accounts/me/2fa', undefined, { nobody: 401, server: 403, admin: 403 }],
        ['POST', '/v1/accounts/me/2fa/verify', { code: '000000' }, { nobody: 401, server: 403, admin: 403 }],
        [
          'PUT',
          '/v1/accounts/me/password',
          { currentPassword: 'x', newPassword: 'Brand-New-Secret-42' },
          { nobody: 401, server: 403, admin: 403 },
        ],
        ['DELETE', '/v1/sessions/current', undefined, { nobody: 401, server: 403, admin: 403 }],
        [
          'POST',
          '/v1/accounts',
          { username: unique('z'), email: 'srv@example.test', password: PASSWORD },
          { server: 403 },
        ],
        ['POST', '/v1/sessions', { login: a.username, password: PASSWORD }, { server: 403, admin: 403 }],
        [
          'POST',
          `/v1/admin/accounts/${target}/ban`,
          { reason: 'x' },
          { nobody: 401, player: 403, server: 403 },
        ],
        ['DELETE', `/v1/admin/accounts/${target}/ban`, undefined, { nobody: 401, player: 403, server: 403 }],
        [
          'POST',
          `/v1/admin/accounts/${target}/premium`,
          { until: new Date().toISOString() },
          { nobody: 401, player: 403, server: 403 },
        ],
      ];
      for (const [method, path, body, expected] of routes) {
        for (const [who, status] of Object.entries(expected) as Array<[Who, number]>) {
          const reply = await api(method, path, { ...as(who), body });
          assert.equal(reply.status, status, `${method} ${path} as ${who}: ${JSON.stringify(reply.body)}`);
        }
      }
      const banned = await pool.query(`SELECT banned, premium_expires FROM accounts WHERE id = $1`, [target]);
      assert.deepEqual(banned.rows[0], { banned: false, premium_expires: null });
    });

    it('checks again in the service: NATS callers without the right principal are refused', async () => {
      const a = await register();
      const other = await register();
      const player = { kind: 'player' as const, accountId: a.id };
      const server = { kind: 'server' as const, serverId: randomUUID(), region: 'eu-west' };
      const refused = async (
        subject: string,
        payload: unknown,
        principal: Principal | undefined,
        code: string,
      ) => {
        await assert.rejects(
          bus.request(subject, payload, { principal }),
          (e: AppError) => e.code === code,
          subject,
        );
      };
      await refused(AccountsSubjects.ban, { accountId: other.id, reason: 'x' }, player, 'FORBIDDEN');
      await refused(AccountsSubjects.ban, { accountId: other.id, reason: 'x' }, server, 'FORBIDDEN');
      await refused(AccountsSubjects.unban, { accountId: other.id }, undefined, 'UNAUTHENTICATED');
      await refused(
        AccountsSubjects.grantPremium,
        { accountId: other.id, until: new Date().toISOString() },
        player,
        'FORBIDDEN',
      );
      await refused(AccountsSubjects.me, {}, server, 'FORBIDDEN');
      await refused(AccountsSubjects.enrollTotp, {}, undefined, 'UNAUTHENTICATED');
      // A player cannot end another player's session even knowing its token.
      const otherToken = await session(other);
      await refused(AccountsSubjects.logout, { token: otherToken }, player, 'FORBIDDEN');
      assert.equal((await api('GET', '/v1/accounts/me', { token: otherToken })).status, 200);
      const me = await bus.request<{ id: string }>(AccountsSubjects.me, {}, { principal: player });
      assert.equal(me.id, a.id);
    });
  });
});
