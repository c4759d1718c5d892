import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { PrismaClient } from '@trustno1/db';
import type { Leaderboard } from '@trustno1/redis';
import type { Period, ScoredEntity } from './boards';

interface ScoreRow {
  entity_id: string;
  name: string;
  score: bigint | number | string;
}

export interface KillerCounts {
  name: string;
  dayKills: number;
  weekKills: number;
}

/** The only file of the feature that speaks SQL: one call of seasons' functions per operation. */
@Injectable()
export class LeaderboardsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Every entry of a board, computed from its owners' tables (seasons.board_scores). */
  async boardScores(board: Leaderboard, period: Period | undefined): Promise<ScoredEntity[]> {
    // The non-kill boards ignore the bounds; any pair does.
    const from = period?.from ?? new Date(0);
    const to = period?.to ?? new Date(0);
    const rows = await this.prisma.$queryRaw<ScoreRow[]>`
      SELECT entity_id::text AS entity_id, name, score
        FROM seasons.board_scores(${board}, ${from}::timestamptz, ${to}::timestamptz)`;
    return rows.map((r) => ({ id: r.entity_id, name: r.name, score: Number(r.score) }));
  }

  /** A killer's counts in the day and week of a kill, inside the kill consumer's transaction. */
  async killerCounts(
    tx: PoolClient,
    killerId: string,
    day: Period,
    week: Period,
  ): Promise<KillerCounts | null> {
    const { rows } = await tx.query<{ name: string; day_kills: string; week_kills: string }>(
      'SELECT name, day_kills, week_kills FROM seasons.killer_counts($1, $2, $3)',
      [killerId, day.from, week.from],
    );
    if (rows.length === 0) return null;
    return { name: rows[0].name, dayKills: Number(rows[0].day_kills), weekKills: Number(rows[0].week_kills) };
  }
}
