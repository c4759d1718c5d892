import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import type { Redis } from 'ioredis';
import { createRedisClient } from '@trustno1/redis';
import {
  appEnv,
  createTestDatabase,
  createTestNamespace,
  startApp,
  startThrowawayRedis,
  type RunningApp,
  type TestDatabase,
  type TestNamespace,
  type ThrowawayRedis,
} from '@trustno1/testing';

const PASSWORD = 'Gl4cier-Wolf-Ember';

// A Redis of this file's own: FLUSHALL on the shared one would wipe the files running beside it.
describe('sessions when Redis loses everything', () => {
  let redisServer: ThrowawayRedis;
  let redis: Redis;
  let db: TestDatabase;
  let ns: TestNamespace;
  let accounts: RunningApp;
  let gateway: RunningApp;
  let pool: Pool;

  beforeAll(async () => {
    redisServer = await startThrowawayRedis();
    const url = redisServer.url;
    redis = createRedisClient({ url, name: 'redis-loss-spec' });
    await redis.connect();
    db = await createTestDatabase();
    ns = createTestNamespace();
    const env = appEnv(db, ns, { REDIS_URL: url, ADMIN_API_KEY: 'a'.repeat(40) });
    [accounts, gateway] = await Promise.all([startApp('accounts', env), startApp('gateway', env)]);
    pool = new Pool({ connectionString: db.url, max: 2 });
  });

  afterAll(async () => {
    await Promise.all([gateway?.kill(), accounts?.kill()]);
    redis?.disconnect();
    await pool?.end();
    await db?.drop();
    await redisServer?.stop();
  });

  async function post(path: string, body: unknown): Promise<{ status: number; body: { token?: string } }> {
    const response = await fetch(`${gateway.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { token?: string } };
  }
  const me = (token: string) =>
    fetch(`${gateway.url}/v1/accounts/me`, { headers: { authorization: `Bearer ${token}` } });

  const createCharacter = (token: string, name: string) =>
    fetch(`${gateway.url}/v1/characters`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    });
  /** Everything of value a Redis loss must not touch: accounts and characters with what they own. */
  const valuables = () =>
    pool.query(`SELECT
        (SELECT json_agg(a ORDER BY a.id) FROM (SELECT id, username, password_hash FROM accounts) a) AS accounts,
        (SELECT json_agg(p ORDER BY p.id) FROM (SELECT id, account_id, character_name FROM players) p) AS players,
        (SELECT json_agg(i ORDER BY i.id) FROM (SELECT id, owner_id, owner_type FROM inventories) i) AS inventories,
        (SELECT json_agg(w ORDER BY w.player_id, w.currency) FROM wallets w) AS wallets`);

  it('fails closed (401) after FLUSHALL, loses no account or character, and logging in again works', async () => {
    const users = Array.from({ length: 5 }, () => `loss_${randomBytes(5).toString('hex')}`);
    for (const username of users) {
      assert.equal(
        (await post('/v1/accounts', { username, email: `${username}@example.test`, password: PASSWORD }))
          .status,
        201,
      );
    }
    const tokens: string[] = [];
    for (const username of users)
      tokens.push((await post('/v1/sessions', { login: username, password: PASSWORD })).body.token!);
    for (const token of tokens) assert.equal((await me(token)).status, 200);
    for (const [i, token] of tokens.entries()) {
      assert.equal((await createCharacter(token, `${users[i]}_c`.slice(0, 32))).status, 201);
    }
    const before = (await valuables()).rows[0];
    assert.equal(before.players.length, 5);

    await redis.flushall();

    for (const token of tokens) {
      const reply = await me(token);
      assert.equal(reply.status, 401);
      assert.equal(((await reply.json()) as { error: { code: string } }).error.code, 'UNAUTHENTICATED');
    }
    assert.deepEqual((await valuables()).rows[0], before);
    const again = await post('/v1/sessions', { login: users[0], password: PASSWORD });
    assert.equal(again.status, 201);
    assert.equal((await me(again.body.token!)).status, 200);
    const mine = await fetch(`${gateway.url}/v1/characters`, {
      headers: { authorization: `Bearer ${again.body.token}` },
    });
    assert.deepEqual(
      ((await mine.json()) as Array<{ characterName: string }>).map((c) => c.characterName),
      [`${users[0]}_c`.slice(0, 32)],
    );
  });
});
