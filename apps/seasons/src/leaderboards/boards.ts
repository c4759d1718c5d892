import type { BoardName, LeaderboardEntryView } from '@trustno1/contracts';
import { REDIS_BOARD } from '@trustno1/contracts';
import type { Leaderboard } from '@trustno1/redis';

const DAY_MS = 86_400_000;

/** The span a kill board counts: the UTC day, or the ISO week from Monday 00:00 UTC (end excluded). */
export interface Period {
  from: Date;
  to: Date;
}

export function redisBoard(name: BoardName): Leaderboard {
  return REDIS_BOARD[name];
}

export function boardName(board: Leaderboard): BoardName {
  const found = (Object.keys(REDIS_BOARD) as BoardName[]).find((name) => REDIS_BOARD[name] === board);
  if (!found) throw new Error(`unknown board ${board}`);
  return found;
}

/** The period of a kill board containing `at`; undefined for the boards that have none. */
export function periodOf(board: Leaderboard, at: Date): Period | undefined {
  const dayStart = Math.floor(at.getTime() / DAY_MS) * DAY_MS;
  if (board === 'kills:daily') return { from: new Date(dayStart), to: new Date(dayStart + DAY_MS) };
  if (board === 'kills:weekly') {
    // getUTCDay: 0 is Sunday; the ISO week starts on Monday.
    const sinceMonday = (new Date(dayStart).getUTCDay() + 6) % 7;
    const from = dayStart - sinceMonday * DAY_MS;
    return { from: new Date(from), to: new Date(from + 7 * DAY_MS) };
  }
  return undefined;
}

export interface ScoredEntity {
  id: string;
  name: string;
  score: number;
}

/**
 * The order Redis lists a board in (ZREVRANGE): higher score first, equal scores by id descending
 * (byte order of the lowercase UUID text, which is also PostgreSQL's uuid order); ranks are
 * competition ranks, equal scores sharing one (1, 2, 2, 4).
 */
export function rankEntries(entities: readonly ScoredEntity[]): LeaderboardEntryView[] {
  const sorted = [...entities].sort((a, b) =>
    b.score !== a.score ? b.score - a.score : a.id < b.id ? 1 : a.id > b.id ? -1 : 0,
  );
  let rank = 0;
  return sorted.map((e, i) => {
    if (i === 0 || sorted[i - 1].score !== e.score) rank = i + 1;
    return { rank, id: e.id, name: e.name, score: e.score };
  });
}
