// The five boards on a real PostgreSQL and Redis: known fixtures give known ranks (ties by the
// documented rule), `around` at the top, middle and bottom, a flushed Redis answers the same
// standings, a kill applied twice moves the kill boards once, and the day and week roll over on a
// fake clock. The service is built by hand here (the fake clock); the HTTP routes are proven by
// leaderboards.e2e.spec.ts.
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  type AppError,
  type BoardName,
  type LeaderboardView,
  type PlayerKilledEvent,
} from '@trustno1/contracts';
import { createPrismaClient, type PrismaClient } from '@trustno1/db';
import { createRedisClient, RedisKeys } from '@trustno1/redis';
import { factories, FakeClock, openTestStores, type TestStores } from '@trustno1/testing';
import { LeaderboardStore } from './leaderboard.store';
import { leaderboardFixtures } from './leaderboards.fixtures';
import { LeaderboardsRepository } from './leaderboards.repository';
import { LeaderboardsService } from './leaderboards.service';

const WEDNESDAY_NOON = Date.UTC(2026, 11, 2, 12, 0, 0); // 2026-12-02, ISO week from Monday 11-30
const at = (iso: string) => new Date(iso);

describe('leaderboards on PostgreSQL and Redis', () => {
  let stores: TestStores;
  let prisma: PrismaClient;
  let service: LeaderboardsService;
  const clock = new FakeClock(WEDNESDAY_NOON);
  const p: Record<'A' | 'B' | 'C' | 'D' | 'E', { id: string; name: string }> = {} as never;
  const f: Record<'F1' | 'F2' | 'F3', string> = {} as never;

  /** The ids of two entries of equal score, in the documented order: the greater id first. */
  const tied = (x: string, y: string) => (x > y ? [x, y] : [y, x]);
  const page = (board: BoardName, limit?: number, offset?: number) => service.page({ board, limit, offset });
  const rows = (view: LeaderboardView) => view.entries.map((e) => [e.rank, e.id, e.score]);

  beforeAll(async () => {
    stores = await openTestStores(6);
    prisma = createPrismaClient(stores.pool);
    service = new LeaderboardsService(
      new LeaderboardsRepository(prisma),
      new LeaderboardStore(stores.redis),
      clock,
    );
    const factory = factories(stores.pool);
    const fx = leaderboardFixtures(stores.pool);
    for (const key of ['A', 'B', 'C', 'D', 'E'] as const) {
      const c = await factory.character();
      p[key] = { id: c.id, name: c.characterName };
    }
    const { A, B, C, D, E } = p;
    // Kills: A 3 today, 1 on Monday, 1 last Sunday (another week); B 2 today and 2 on Tuesday;
    // C 1 today. Never counted: C killing himself, a hit that did not kill, a death without attacker.
    for (const t of ['T08:00:00Z', 'T09:00:00Z', 'T11:59:59Z'])
      await fx.kill(A.id, E.id, at(`2026-12-02${t}`));
    await fx.kill(A.id, E.id, at('2026-11-30T00:00:00Z'));
    await fx.kill(A.id, E.id, at('2026-11-29T23:59:59Z'));
    for (const t of ['T01:00:00Z', 'T02:00:00Z']) await fx.kill(B.id, E.id, at(`2026-12-02${t}`));
    for (const t of ['T01:00:00Z', 'T02:00:00Z']) await fx.kill(B.id, E.id, at(`2026-12-01${t}`));
    await fx.kill(C.id, D.id, at('2026-12-02T03:00:00Z'));
    await fx.kill(C.id, C.id, at('2026-12-02T04:00:00Z'));
    await fx.hit(C.id, D.id, at('2026-12-02T05:00:00Z'));
    await fx.kill(null, D.id, at('2026-12-02T06:00:00Z'));
    // Wealth = scrap + 25 hqm + 10 credits: C 300, B 250, D 250, A 100, E nothing.
    await fx.credit(A.id, 'scrap', 100);
    await fx.credit(B.id, 'hqm', 10);
    await fx.credit(C.id, 'credits', 30);
    await fx.credit(D.id, 'scrap', 250);
    // Playtime: B 7200, A 3600, C 60; D and E none.
    await fx.playtime(B.id, 7200);
    await fx.playtime(A.id, 3600);
    await fx.playtime(C.id, 60);
    // Power = 10/member + 100/territory + treasury/100 + 50/raid won:
    // F1 20 + 100 + 50 + 50 = 220; F3 10 + 200 + 10 = 220; F2 10 + 209 = 219.
    f.F1 = await fx.faction({
      name: `f1${randomUUID().slice(0, 6)}`,
      members: [A.id, B.id],
      treasury: 5000,
      territories: 1,
      raidsWon: 1,
      raidsLost: 1,
    });
    f.F2 = await fx.faction({ name: `f2${randomUUID().slice(0, 6)}`, members: [C.id], treasury: 20999 });
    f.F3 = await fx.faction({
      name: `f3${randomUUID().slice(0, 6)}`,
      members: [D.id],
      treasury: 1000,
      territories: 2,
    });
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await stores?.close();
  });

  it('ranks every board from known fixtures, equal scores sharing a rank, the greater id first', async () => {
    const { A, B, C, D } = p;
    const daily = await page('kills-daily');
    assert.deepEqual(rows(daily), [
      [1, A.id, 3],
      [2, B.id, 2],
      [3, C.id, 1],
    ]);
    assert.deepEqual(daily.period, { from: '2026-12-02T00:00:00.000Z', to: '2026-12-03T00:00:00.000Z' });
    assert.equal(daily.entries[0].name, A.name);

    const weekly = await page('kills-weekly');
    const [w1, w2] = tied(A.id, B.id);
    assert.deepEqual(rows(weekly), [
      [1, w1, 4],
      [1, w2, 4],
      [3, C.id, 1],
    ]);
    assert.deepEqual(weekly.period, { from: '2026-11-30T00:00:00.000Z', to: '2026-12-07T00:00:00.000Z' });

    const wealth = await page('wealth');
    const [r1, r2] = tied(B.id, D.id);
    assert.deepEqual(rows(wealth), [
      [1, C.id, 300],
      [2, r1, 250],
      [2, r2, 250],
      [4, A.id, 100],
    ]);
    assert.equal(wealth.period, undefined);

    const playtime = await page('playtime');
    assert.deepEqual(rows(playtime), [
      [1, B.id, 7200],
      [2, A.id, 3600],
      [3, C.id, 60],
    ]);
    assert.deepEqual(
      playtime.entries.map((e) => e.name),
      [B.name, A.name, C.name],
    );

    const power = await page('faction-power');
    const [q1, q2] = tied(f.F1, f.F3);
    assert.deepEqual(rows(power), [
      [1, q1, 220],
      [1, q2, 220],
      [3, f.F2, 219],
    ]);
    assert.ok(power.entries.every((e) => e.name.startsWith('f')));
    assert.equal(power.updatedAt, new Date(WEDNESDAY_NOON).toISOString());
  });

  it('pages with limit and offset, ranks staying those of the whole board', async () => {
    const { A, B, D } = p;
    const [r1, r2] = tied(B.id, D.id);
    assert.deepEqual(rows(await page('wealth', 2, 1)), [
      [2, r1, 250],
      [2, r2, 250],
    ]);
    assert.deepEqual(rows(await page('wealth', 1, 2)), [[2, r2, 250]]);
    assert.deepEqual(rows(await page('wealth', 10, 3)), [[4, A.id, 100]]);
    assert.deepEqual(rows(await page('wealth', 10, 4)), []);
  });

  it('answers around an entry at the top, in the middle and at the bottom, and 404 off the board', async () => {
    const { A, B, C, E } = p;
    const around = (id: string, radius?: number) => service.around({ board: 'playtime', id, radius });
    assert.deepEqual(rows(await around(B.id, 1)), [
      [1, B.id, 7200],
      [2, A.id, 3600],
    ]);
    assert.deepEqual(rows(await around(A.id, 1)), [
      [1, B.id, 7200],
      [2, A.id, 3600],
      [3, C.id, 60],
    ]);
    assert.deepEqual(rows(await around(C.id, 1)), [
      [2, A.id, 3600],
      [3, C.id, 60],
    ]);
    assert.deepEqual(rows(await around(A.id, 0)), [[2, A.id, 3600]]);
    assert.deepEqual((await around(C.id)).entries.length, 3);
    await assert.rejects(around(E.id, 2), (err: AppError) => {
      assert.equal(err.code, 'NOT_FOUND');
      assert.deepEqual(err.details, { field: 'id', id: E.id });
      return true;
    });
  });

  it('a flushed Redis answers the next read of every board with the same standings', async () => {
    const boards: BoardName[] = ['kills-daily', 'kills-weekly', 'wealth', 'playtime', 'faction-power'];
    const before = await Promise.all(boards.map((b) => page(b)));
    await stores.ns.cleanup();
    assert.equal(await stores.redis.exists(RedisKeys.leaderboard('wealth')), 0);
    // Concurrent readers of a flushed board: all answered, none empty.
    const after = await Promise.all(boards.flatMap((b) => [page(b), page(b)]));
    for (const [i, board] of boards.entries()) {
      assert.deepEqual(after[2 * i].entries, before[i].entries, board);
      assert.deepEqual(after[2 * i + 1].entries, before[i].entries, board);
    }
    assert.equal(await stores.redis.zcard(RedisKeys.leaderboard('wealth')), 4);
  });

  it('a kill event moves the daily and weekly boards once, also when applied twice', async () => {
    const { C, D } = p;
    const fx = leaderboardFixtures(stores.pool);
    const killedAt = at('2026-12-02T11:30:00Z');
    await fx.kill(C.id, D.id, killedAt);
    const event = killEvent(C.id, D.id, killedAt);
    for (let i = 0; i < 2; i++) {
      const tx = await stores.pool.connect();
      try {
        await tx.query('BEGIN');
        await service.applyKill(event, tx);
        await tx.query('COMMIT');
      } finally {
        tx.release();
      }
    }
    // Not a rebuild: the board kept its period and only C's entry moved (1 → 2).
    const daily = await page('kills-daily');
    const c = daily.entries.find((e) => e.id === C.id)!;
    assert.equal(c.score, 2);
    const weekly = await page('kills-weekly');
    assert.equal(weekly.entries.find((e) => e.id === C.id)!.score, 2);
    assert.equal(weekly.entries.length, 3);
    // A death without killer, or by one's own hand, moves nothing.
    const tx = await stores.pool.connect();
    try {
      await service.applyKill({ ...event, killerId: null }, tx);
      await service.applyKill({ ...event, killerId: D.id, playerId: D.id }, tx);
    } finally {
      tx.release();
    }
    assert.deepEqual((await page('kills-daily')).entries, daily.entries);
  });

  it('rolls the daily board over at UTC midnight and the weekly one on Monday 00:00 UTC', async () => {
    const { A, B, C } = p;
    const fx = leaderboardFixtures(stores.pool);
    clock.ms = Date.UTC(2026, 11, 6, 23, 59, 30); // Sunday, last minute of the ISO week
    await fx.kill(A.id, C.id, at('2026-12-06T23:59:00Z'));
    // Sunday's board is built on its first read (another day than Wednesday's): A's kill is on it.
    assert.deepEqual(rows(await page('kills-daily')), [[1, A.id, 1]]);
    // The weekly board is of the same week: the kill reaches it through its event.
    const sunday = await stores.pool.connect();
    try {
      await service.applyKill(killEvent(A.id, C.id, at('2026-12-06T23:59:00Z')), sunday);
    } finally {
      sunday.release();
    }
    const weekly = await page('kills-weekly');
    assert.deepEqual(
      weekly.entries.slice(0, 2).map((e) => [e.rank, e.id, e.score]),
      [
        [1, A.id, 5],
        [2, B.id, 4],
      ],
    );

    clock.advance(60); // Monday 2026-12-07 00:00:30
    const monday = await page('kills-daily');
    assert.deepEqual(monday.entries, []);
    assert.deepEqual(monday.period, { from: '2026-12-07T00:00:00.000Z', to: '2026-12-08T00:00:00.000Z' });
    const week = await page('kills-weekly');
    assert.deepEqual(week.entries, []);
    assert.deepEqual(week.period, { from: '2026-12-07T00:00:00.000Z', to: '2026-12-14T00:00:00.000Z' });

    // Sunday's kill delivered late changes nothing of Monday's boards; Monday's kill shows at once.
    const killedAt = at('2026-12-07T00:00:10Z');
    await fx.kill(B.id, C.id, killedAt);
    const tx = await stores.pool.connect();
    try {
      await service.applyKill(killEvent(A.id, C.id, at('2026-12-06T23:59:00Z')), tx);
      await service.applyKill(killEvent(B.id, C.id, killedAt), tx);
    } finally {
      tx.release();
    }
    assert.deepEqual(rows(await page('kills-daily')), [[1, B.id, 1]]);
    assert.deepEqual(rows(await page('kills-weekly')), [[1, B.id, 1]]);
    clock.ms = WEDNESDAY_NOON;
  });

  it('the hourly rebuild brings every board to PostgreSQL: changes no event announced appear then', async () => {
    const { A, B, C } = p;
    const before = await page('playtime');
    await leaderboardFixtures(stores.pool).playtime(C.id, 99_999);
    assert.deepEqual((await page('playtime')).entries, before.entries, 'Redis serves the built board');
    clock.advance(3600);
    const result = await service.rebuildAll(clock.now());
    assert.deepEqual(
      result.boards.map((b) => b.board),
      ['kills-daily', 'kills-weekly', 'wealth', 'playtime', 'faction-power'],
    );
    assert.equal(result.boards.find((b) => b.board === 'playtime')?.entries, 3);
    const after = await page('playtime');
    assert.deepEqual(rows(after), [
      [1, C.id, 99_999],
      [2, B.id, 7200],
      [3, A.id, 3600],
    ]);
    assert.equal(after.updatedAt, clock.now().toISOString());
    await leaderboardFixtures(stores.pool).playtime(C.id, 60);
    await service.rebuild('playtime', clock.now());
    clock.ms = WEDNESDAY_NOON;
  });

  it('without Redis, ranks from PostgreSQL: the same standings, no error', async () => {
    const dead = createRedisClient({ url: 'redis://127.0.0.1:1', name: 'dead' });
    dead.on('error', () => undefined);
    const offline = new LeaderboardsService(
      new LeaderboardsRepository(prisma),
      new LeaderboardStore(dead),
      clock,
    );
    try {
      const expected = await page('playtime');
      const got = await offline.page({ board: 'playtime' });
      assert.deepEqual(got.entries, expected.entries);
      assert.deepEqual((await offline.around({ board: 'playtime', id: p.A.id, radius: 0 })).entries, [
        expected.entries[1],
      ]);
    } finally {
      dead.disconnect();
    }
  });
});

describe('the rebuild swaps a whole board in', () => {
  let stores: TestStores;
  beforeAll(async () => {
    stores = await openTestStores(1);
  });
  afterAll(() => stores?.close());

  it('readers during repeated rebuilds always see a whole board, and no aside key is left', async () => {
    const store = new LeaderboardStore(stores.redis);
    const N = 2_500; // three write chunks per build
    const version = (k: number) =>
      Array.from({ length: N }, (_, i) => ({ id: randomUUID(), name: `p${i}`, score: i * k }));
    await store.swapIn('playtime', version(1), { updatedAt: 'v1' });
    let building = true;
    const seen: number[] = [];
    const reader = (async () => {
      while (building) {
        const [[, card], [, top]] = (await stores.redis
          .multi()
          .zcard(RedisKeys.leaderboard('playtime'))
          .zrevrange(RedisKeys.leaderboard('playtime'), 0, 0, 'WITHSCORES')
          .exec()) as [[null, number], [null, string[]]];
        seen.push(card);
        assert.ok([N - 1, 2 * (N - 1), 3 * (N - 1)].includes(Number(top[1])), `top score ${top[1]}`);
      }
    })();
    for (const k of [2, 3, 1, 2, 3]) await store.swapIn('playtime', version(k), { updatedAt: `v${k}` });
    building = false;
    await reader;
    assert.ok(seen.length > 0);
    assert.ok(
      seen.every((n) => n === N),
      `a reader saw ${seen.find((n) => n !== N)} entries`,
    );
    const page = await store.range('playtime', '', 0, 2);
    assert.equal(page.status, 'ok');
    const leftovers = await stores.redis.keys(`${stores.ns.redisKeyPrefix}*building*`);
    assert.deepEqual(leftovers, []);
    // An empty board is a board: state present, no entries; not "missing".
    await store.swapIn('playtime', [], { updatedAt: 'empty' });
    assert.deepEqual(await store.range('playtime', '', 0, 9), {
      status: 'ok',
      state: { updatedAt: 'empty' },
      entries: [],
    });
    assert.equal(await stores.redis.ttl(RedisKeys.leaderboardMeta('playtime')), -1);
  });
});

function killEvent(killerId: string, playerId: string, killedAt: Date): PlayerKilledEvent {
  return {
    playerId,
    killerId,
    serverId: randomUUID(),
    hitId: randomUUID(),
    weaponId: 'rifle_ak',
    hitLocation: 'head',
    corpseInventoryId: randomUUID(),
    position: { x: 0, y: 0, z: 0 },
    killedAt: killedAt.toISOString(),
  };
}
