import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { BOARD_NAMES, SeasonsOps } from '@trustno1/contracts';
import { LEADERBOARDS } from '@trustno1/redis';
import { boardName, periodOf, rankEntries, redisBoard } from './boards';

const iso = (d: Date | undefined) => d?.toISOString();

describe('leaderboard periods and ranks', () => {
  it('maps every API board name to its Redis board and back', () => {
    assert.deepEqual(BOARD_NAMES.map(redisBoard), [...LEADERBOARDS]);
    for (const board of LEADERBOARDS) assert.equal(redisBoard(boardName(board)), board);
  });

  it('the daily period is the UTC day, the weekly one the ISO week from Monday 00:00 UTC', () => {
    const wed = new Date('2026-12-02T23:59:59.999Z');
    assert.deepEqual(
      [iso(periodOf('kills:daily', wed)?.from), iso(periodOf('kills:daily', wed)?.to)],
      ['2026-12-02T00:00:00.000Z', '2026-12-03T00:00:00.000Z'],
    );
    for (const at of ['2026-11-30T00:00:00.000Z', '2026-12-02T12:00:00Z', '2026-12-06T23:59:59.999Z']) {
      const week = periodOf('kills:weekly', new Date(at));
      assert.deepEqual(
        [iso(week?.from), iso(week?.to)],
        ['2026-11-30T00:00:00.000Z', '2026-12-07T00:00:00.000Z'],
        at,
      );
    }
    assert.equal(
      iso(periodOf('kills:weekly', new Date('2026-12-07T00:00:00Z'))?.from),
      '2026-12-07T00:00:00.000Z',
    );
    // Across a year end: Thursday 2027-01-01 is in the week of Monday 2026-12-28.
    assert.equal(
      iso(periodOf('kills:weekly', new Date('2027-01-01T10:00:00Z'))?.from),
      '2026-12-28T00:00:00.000Z',
    );
    assert.equal(periodOf('wealth', wed), undefined);
    assert.equal(periodOf('faction:power', wed), undefined);
  });

  it('ranks by score, equal scores sharing a rank and listed by id descending', () => {
    const ranked = rankEntries([
      { id: 'a', name: 'A', score: 5 },
      { id: 'c', name: 'C', score: 7 },
      { id: 'b', name: 'B', score: 5 },
      { id: 'd', name: 'D', score: 1 },
    ]);
    assert.deepEqual(
      ranked.map((e) => [e.rank, e.id]),
      [
        [1, 'c'],
        [2, 'b'],
        [2, 'a'],
        [4, 'd'],
      ],
    );
  });

  it('admits players, servers and admins on the reads; the rebuild is the admin (worker) only', () => {
    assert.deepEqual([...SeasonsOps.getLeaderboard.principals], ['player', 'server', 'admin']);
    assert.deepEqual([...SeasonsOps.getLeaderboardAround.principals], ['player', 'server', 'admin']);
    assert.deepEqual([...SeasonsOps.rebuildLeaderboards.principals], ['admin']);
    assert.equal(SeasonsOps.rebuildLeaderboards.http, undefined);
  });
});
