import { Injectable } from '@nestjs/common';
import type { SeasonView, StartSeasonRequest, WipeLevel } from '@trustno1/contracts';
import { PrismaClient, type IdempotencyClaim } from '@trustno1/db';
import type { Leaderboard } from '@trustno1/redis';

export interface StartedRow {
  ended: SeasonView;
  started: SeasonView;
  /** Entries frozen per Redis board name. */
  archived: Record<string, number>;
}

export interface SeasonBoardRow {
  season: SeasonView;
  entries: { rank: number; id: string; name: string; score: number }[];
}

/** The only file of the feature that speaks SQL: one call of seasons' functions per operation. */
@Injectable()
export class SeasonsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async list(): Promise<SeasonView[]> {
    const [row] = await this.prisma.$queryRaw<{ seasons: SeasonView[] }[]>`
      SELECT seasons.list_seasons() AS seasons`;
    return row.seasons;
  }

  async board(seasonId: string, board: Leaderboard, limit: number, offset: number): Promise<SeasonBoardRow> {
    const [row] = await this.prisma.$queryRaw<{ result: SeasonBoardRow }[]>`
      SELECT seasons.season_board(${seasonId}::uuid, ${board}, ${limit}::int, ${offset}::int) AS result`;
    return row.result;
  }

  /** One seasons.start_season call: idempotency, the lock of the current season, archive and next. */
  async start(
    claim: IdempotencyClaim | undefined,
    id: string,
    request: StartSeasonRequest & { wipe: WipeLevel },
  ): Promise<StartedRow> {
    const [row] = await this.prisma.$queryRaw<{ result: StartedRow }[]>`
      SELECT seasons.start_season(${claim?.principal ?? null}, ${claim?.key ?? null}, ${claim?.requestHash ?? null},
             ${id}::uuid, ${request.name}, ${request.wipe}, ${request.startsAt ?? null}::timestamptz) AS result`;
    return row.result;
  }
}
