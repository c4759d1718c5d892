// Seasons through the gateway: the list, ending a season (its boards frozen into the archive in the
// transaction that starts the next, idempotent with Idempotency-Key, serialized when concurrent),
// the frozen standings unchanged by later play, and bad input refused naming the field with
// nothing changed.
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { LeaderboardView, SeasonBoardView, SeasonsView, StartSeasonView } from '@trustno1/contracts';
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
import { leaderboardFixtures } from '../leaderboards/leaderboards.fixtures';

describe('seasons through the gateway', () => {
  let cluster: TestCluster;
  let server: Record<string, string>;
  let player: Record<string, string>;
  const admin = { 'x-admin-key': TEST_ADMIN_KEY };
  const ids: string[] = [];

  const get = <T>(path: string, headers: Record<string, string> = player) =>
    call<T>(cluster.url, 'GET', path, { headers });
  const start = (body: unknown, headers: Record<string, string> = admin, key = randomUUID()) =>
    call<StartSeasonView>(cluster.url, 'POST', '/v1/admin/seasons', {
      headers: { ...headers, 'idempotency-key': key },
      body,
    });
  const checksum = async () =>
    JSON.stringify(
      (
        await cluster.pool.query(
          `SELECT (SELECT json_agg(s ORDER BY id) FROM seasons.seasons s) AS seasons,
                  (SELECT json_agg(a ORDER BY season_id, board, entity_id) FROM seasons.leaderboard_archives a) AS archives`,
        )
      ).rows,
    );

  beforeAll(async () => {
    cluster = await startCluster(['accounts', 'seasons', 'gateway']);
    server = (await registerServer(cluster.url, TEST_ADMIN_KEY)).headers;
    player = (await signUp(cluster.url)).headers;
    const factory = factories(cluster.pool);
    const fx = leaderboardFixtures(cluster.pool);
    for (let i = 0; i < 4; i++) {
      const c = await factory.character();
      ids.push(c.id);
      await fx.playtime(c.id, 1000 - 100 * i);
      await fx.credit(c.id, 'hqm', i + 1);
    }
    await fx.kill(ids[0], ids[1], new Date());
  });
  afterAll(() => cluster?.stop());

  it('lists the first season as current to every principal', async () => {
    for (const headers of [player, server, admin]) {
      const reply = await get<SeasonsView>('/v1/seasons', headers);
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      assert.equal(reply.body.seasons.length, 1);
      assert.equal(reply.body.seasons[0].endedAt, null);
      assert.equal(reply.body.seasons[0].name, 'Season 1');
    }
    const current = (await get<SeasonsView>('/v1/seasons')).body.seasons[0];
    const notEnded = await get(`/v1/seasons/${current.id}/leaderboards/playtime`);
    assert.deepEqual([notEnded.status, codeOf(notEnded)], [404, 'NOT_FOUND']);
  });

  it('refuses bad input naming the field, and anyone but an admin, changing nothing', async () => {
    const before = await checksum();
    const matrix: [unknown, string][] = [
      [{ wipe: 'none' }, 'name'],
      [{ name: '', wipe: 'none' }, 'name'],
      [{ name: '   ', wipe: 'none' }, 'name'],
      [{ name: 'x'.repeat(65), wipe: 'none' }, 'name'],
      [{ name: 7, wipe: 'none' }, 'name'],
      [{ name: 'S2' }, 'wipe'],
      [{ name: 'S2', wipe: 'partial' }, 'wipe'],
      [{ name: 'S2', wipe: 'map' }, 'wipe'],
      [{ name: 'S2', wipe: 'full' }, 'wipe'],
      [{ name: 'S2', wipe: 'none', startsAt: 'tomorrow' }, 'startsAt'],
      [{ name: 'S2', wipe: 'none', startsAt: '2020-01-01T00:00:00Z' }, 'startsAt'],
      [{ name: 'S2', wipe: 'none', extra: 1 }, 'extra'],
    ];
    for (const [body, field] of matrix) {
      const reply = await start(body);
      assert.deepEqual(
        [reply.status, codeOf(reply), fieldsOf(reply)],
        [400, 'VALIDATION_FAILED', [field]],
        JSON.stringify(body),
      );
    }
    for (const headers of [player, server]) {
      const refused = await start({ name: 'S2', wipe: 'none' }, headers);
      assert.deepEqual([refused.status, codeOf(refused)], [403, 'FORBIDDEN']);
    }
    const anonymous = await start({ name: 'S2', wipe: 'none' }, {});
    assert.equal(anonymous.status, 401);
    for (const [path, field] of [
      ['/v1/seasons/not-a-uuid/leaderboards/wealth', 'id'],
      [`/v1/seasons/${randomUUID()}/leaderboards/gold`, 'board'],
      [`/v1/seasons/${randomUUID()}/leaderboards/wealth?limit=0`, 'limit'],
      ['/v1/seasons?all=1', 'all'],
    ] as const) {
      const reply = await get(path);
      assert.deepEqual(
        [reply.status, codeOf(reply), fieldsOf(reply)],
        [400, 'VALIDATION_FAILED', [field]],
        path,
      );
    }
    const unknown = await get(`/v1/seasons/${randomUUID()}/leaderboards/wealth`);
    assert.deepEqual([unknown.status, codeOf(unknown)], [404, 'NOT_FOUND']);
    assert.equal(await checksum(), before);
  });

  it('ends the season with its boards frozen, once per Idempotency-Key, and later play leaves them', async () => {
    const live = await Promise.all(
      ['kills-daily', 'kills-weekly', 'wealth', 'playtime', 'faction-power'].map(
        async (board) =>
          [board, (await get<LeaderboardView>(`/v1/leaderboards/${board}?limit=100`)).body] as const,
      ),
    );
    const key = randomUUID();
    const first = await start({ name: '  Season 2 ', wipe: 'none' }, admin, key);
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.started.name, 'Season 2');
    assert.equal(first.body.started.endedAt, null);
    assert.equal(first.body.ended.name, 'Season 1');
    assert.ok(first.body.ended.endedAt && first.body.ended.endedAt <= first.body.started.startedAt);
    assert.deepEqual(first.body.archived, {
      'kills-daily': 1,
      'kills-weekly': 1,
      wealth: 4,
      playtime: 4,
      'faction-power': 0,
    });
    const again = await start({ name: '  Season 2 ', wipe: 'none' }, admin, key);
    assert.deepEqual([again.status, again.body], [201, first.body]);
    const seasons = (await get<SeasonsView>('/v1/seasons')).body.seasons;
    assert.deepEqual(
      seasons.map((s) => [s.name, s.endedAt === null]),
      [
        ['Season 2', true],
        ['Season 1', false],
      ],
    );

    for (const [board, view] of live) {
      const frozen = await get<SeasonBoardView>(
        `/v1/seasons/${first.body.ended.id}/leaderboards/${board}?limit=100`,
      );
      assert.equal(frozen.status, 200, board);
      assert.deepEqual(frozen.body.entries, view.entries, board);
      assert.equal(frozen.body.season.id, first.body.ended.id);
    }
    // Later play changes the live boards, not the archive.
    await cluster.pool.query('UPDATE accounts.players SET playtime_seconds = 5000 WHERE id = $1', [ids[3]]);
    const page = await get<SeasonBoardView>(
      `/v1/seasons/${first.body.ended.id}/leaderboards/playtime?limit=2&offset=1`,
    );
    assert.deepEqual(
      page.body.entries.map((e) => [e.rank, e.id, e.score]),
      [
        [2, ids[1], 900],
        [3, ids[2], 800],
      ],
    );
  });

  it('concurrent starts are serialized: each ends the season before it, one current season remains', async () => {
    const replies = await Promise.all([1, 2, 3].map((i) => start({ name: `Race ${i}`, wipe: 'none' })));
    assert.deepEqual(
      replies.map((r) => r.status),
      [201, 201, 201],
    );
    const seasons = (await get<SeasonsView>('/v1/seasons')).body.seasons;
    assert.equal(seasons.length, 5);
    assert.equal(seasons.filter((s) => s.endedAt === null).length, 1);
    const ended = new Set(replies.map((r) => r.body.ended.id));
    assert.equal(ended.size, 3, 'each start ended a different season');
  });
});
