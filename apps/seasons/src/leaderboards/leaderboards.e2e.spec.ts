// GET /v1/leaderboards/{board} and /around/{id} through the gateway, as players and game servers
// call them: the standings of known fixtures for every principal admitted, a bad board, limit,
// offset, radius or id refused with 400 naming the field (and nothing changed), 404 for an id not
// on the board, and a Redis flushed between two reads answering the same standings.
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { LeaderboardView } from '@trustno1/contracts';
import { LEADERBOARDS, RedisKeys } from '@trustno1/redis';
import {
  call,
  codeOf,
  factories,
  fieldsOf,
  registerServer,
  signUp,
  startCluster,
  TEST_ADMIN_KEY,
  type TestCluster,
} from '@trustno1/testing';
import { leaderboardFixtures } from './leaderboards.fixtures';

describe('leaderboards through the gateway', () => {
  let cluster: TestCluster;
  let server: Record<string, string>;
  let player: Record<string, string>;
  const admin = { 'x-admin-key': TEST_ADMIN_KEY };
  const ids: string[] = [];
  const names: string[] = [];

  const get = (path: string, headers: Record<string, string> = player) =>
    call<LeaderboardView>(cluster.url, 'GET', path, { headers });

  /** Every board's Redis keys and every seasons table, to prove a refused read changed nothing. */
  const checksum = async (): Promise<string> => {
    const parts: unknown[] = [];
    for (const board of LEADERBOARDS) {
      parts.push(await cluster.redis.zrange(RedisKeys.leaderboard(board), 0, -1, 'WITHSCORES'));
      parts.push(await cluster.redis.hgetall(RedisKeys.leaderboardNames(board)));
      parts.push(await cluster.redis.hgetall(RedisKeys.leaderboardMeta(board)));
    }
    const { rows } = await cluster.pool.query(
      `SELECT (SELECT json_agg(s ORDER BY id) FROM seasons.seasons s) AS seasons,
              (SELECT count(*) FROM seasons.leaderboard_archives) AS archived`,
    );
    parts.push(rows);
    return JSON.stringify(parts);
  };

  beforeAll(async () => {
    cluster = await startCluster(['accounts', 'seasons', 'gateway']);
    server = (await registerServer(cluster.url, TEST_ADMIN_KEY)).headers;
    player = (await signUp(cluster.url)).headers;
    const factory = factories(cluster.pool);
    const fx = leaderboardFixtures(cluster.pool);
    // Playtime 500, 400, 300, 200, 100: ranks 1 to 5 in creation order.
    for (let i = 0; i < 5; i++) {
      const c = await factory.character();
      ids.push(c.id);
      names.push(c.characterName);
      await fx.playtime(c.id, 500 - 100 * i);
      await fx.credit(c.id, 'scrap', 10 * (i + 1));
    }
  });
  afterAll(() => cluster?.stop());

  it('answers a player, a game server and an admin the same standings, with names', async () => {
    const answers = [];
    for (const headers of [player, server, admin]) {
      const reply = await get('/v1/leaderboards/playtime?limit=3', headers);
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      answers.push(reply.body.entries);
    }
    assert.deepEqual(answers[0], [
      { rank: 1, id: ids[0], name: names[0], score: 500 },
      { rank: 2, id: ids[1], name: names[1], score: 400 },
      { rank: 3, id: ids[2], name: names[2], score: 300 },
    ]);
    assert.deepEqual(answers[1], answers[0]);
    assert.deepEqual(answers[2], answers[0]);
    const wealth = await get('/v1/leaderboards/wealth?offset=3');
    assert.deepEqual(
      wealth.body.entries.map((e) => [e.rank, e.id, e.score]),
      [
        [4, ids[1], 20],
        [5, ids[0], 10],
      ],
    );
    const daily = await get('/v1/leaderboards/kills-daily');
    assert.equal(daily.status, 200);
    assert.equal(daily.body.board, 'kills-daily');
    assert.deepEqual(daily.body.entries, []);
    assert.ok(daily.body.period && daily.body.period.from < daily.body.period.to);
    assert.equal((await get('/v1/leaderboards/faction-power')).status, 200);
    assert.equal((await get('/v1/leaderboards/kills-weekly')).status, 200);
  });

  it('answers around an entry at the top, the middle and the bottom', async () => {
    const around = async (i: number, radius: number) =>
      (await get(`/v1/leaderboards/playtime/around/${ids[i]}?radius=${radius}`)).body.entries.map(
        (e) => e.rank,
      );
    assert.deepEqual(await around(0, 2), [1, 2, 3]);
    assert.deepEqual(await around(2, 1), [2, 3, 4]);
    assert.deepEqual(await around(4, 2), [3, 4, 5]);
    const defaults = await get(`/v1/leaderboards/playtime/around/${ids[2]}`);
    assert.equal(defaults.body.entries.length, 5);
  });

  it('refuses nobody with 401', async () => {
    const anonymous = await get('/v1/leaderboards/wealth', {});
    assert.deepEqual([anonymous.status, codeOf(anonymous)], [401, 'UNAUTHENTICATED']);
  });

  it('refuses a bad board, limit, offset, radius or id with 400 naming it, and changes nothing', async () => {
    await get('/v1/leaderboards/wealth'); // every board read once above or here: the checksum sees them
    const before = await checksum();
    const matrix: [string, string][] = [
      ['/v1/leaderboards/kills', 'board'],
      ['/v1/leaderboards/KILLS-DAILY', 'board'],
      ['/v1/leaderboards/wealth?limit=0', 'limit'],
      ['/v1/leaderboards/wealth?limit=101', 'limit'],
      ['/v1/leaderboards/wealth?limit=abc', 'limit'],
      ['/v1/leaderboards/wealth?limit=1.5', 'limit'],
      ['/v1/leaderboards/wealth?limit=-1', 'limit'],
      ['/v1/leaderboards/wealth?offset=-1', 'offset'],
      ['/v1/leaderboards/wealth?offset=100001', 'offset'],
      ['/v1/leaderboards/wealth?radius=3', 'radius'],
      [`/v1/leaderboards/wealth/around/not-a-uuid`, 'id'],
      [`/v1/leaderboards/nope/around/${ids[0]}`, 'board'],
      [`/v1/leaderboards/wealth/around/${ids[0]}?radius=26`, 'radius'],
      [`/v1/leaderboards/wealth/around/${ids[0]}?radius=x`, 'radius'],
      [`/v1/leaderboards/wealth/around/${ids[0]}?limit=3`, 'limit'],
    ];
    for (const [path, field] of matrix) {
      const reply = await get(path);
      assert.deepEqual(
        [reply.status, codeOf(reply), fieldsOf(reply)],
        [400, 'VALIDATION_FAILED', [field]],
        path,
      );
    }
    const missing = await get(`/v1/leaderboards/wealth/around/${randomUUID()}`);
    assert.deepEqual([missing.status, codeOf(missing)], [404, 'NOT_FOUND']);
    assert.equal(await checksum(), before);
  });

  it('a Redis flushed between two reads answers the same standings', async () => {
    // Everything goes: the boards and the sessions (players sign in again; a game server's key and
    // the admin key are checked without Redis).
    const first = await get('/v1/leaderboards/playtime?limit=100', server);
    await cluster.ns.cleanup();
    assert.equal(await cluster.redis.exists(RedisKeys.leaderboard('playtime')), 0);
    const [second, third] = await Promise.all([
      get('/v1/leaderboards/playtime?limit=100', server),
      get('/v1/leaderboards/playtime?limit=100', admin),
    ]);
    assert.equal(second.status, 200, JSON.stringify(second.body));
    assert.deepEqual(second.body.entries, first.body.entries);
    assert.deepEqual(third.body.entries, first.body.entries);
    assert.equal(second.body.entries.length, 5);
  });
});
