import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  AppError,
  ErrorCode,
  LEADERBOARD_DEFAULT_LIMIT,
  type SeasonBoardRequest,
  type SeasonBoardView,
  type SeasonsView,
  type StartSeasonRequest,
  type StartSeasonView,
} from '@trustno1/contracts';
import {
  checkIdempotencyKey,
  mapProcedureErrors,
  prismaStatement,
  type IdempotencyClaim,
} from '@trustno1/db';
import { LEADERBOARDS } from '@trustno1/redis';
import { boardName, redisBoard } from '../leaderboards/boards';
import { SeasonsRepository } from './seasons.repository';

/** Seasons (issue 15): their list, the frozen standings of ended ones, and the start of the next. */
@Injectable()
export class SeasonsService {
  constructor(private readonly repository: SeasonsRepository) {}

  async list(): Promise<SeasonsView> {
    return { seasons: await this.repository.list() };
  }

  async board(request: SeasonBoardRequest): Promise<SeasonBoardView> {
    const row = await mapProcedureErrors(() =>
      prismaStatement(() =>
        this.repository.board(
          request.seasonId,
          redisBoard(request.board),
          request.limit ?? LEADERBOARD_DEFAULT_LIMIT,
          request.offset ?? 0,
        ),
      ),
    );
    return {
      board: request.board,
      season: row.season,
      entries: row.entries.map((e) => ({ rank: e.rank, id: e.id, name: e.name, score: Number(e.score) })),
    };
  }

  /**
   * Ends the current season and starts the next in one transaction (the boards frozen into the
   * archive). Wipes (`map`, `full`) are not built yet: asking for one is refused and changes nothing.
   */
  async start(request: StartSeasonRequest, claim: IdempotencyClaim | undefined): Promise<StartSeasonView> {
    if (claim) checkIdempotencyKey(claim);
    if (request.wipe !== 'none') {
      throw new AppError(ErrorCode.VALIDATION_FAILED, 'Invalid request: wipe', {
        fields: [{ field: 'wipe', message: 'map and full wipes are not available yet: use none' }],
      });
    }
    const row = await mapProcedureErrors(() =>
      prismaStatement(() => this.repository.start(claim, randomUUID(), request)),
    );
    const archived: Record<string, number> = {};
    for (const board of LEADERBOARDS)
      archived[boardName(board)] = Number(row.archived[board] ?? 0);
    return { ended: row.ended, started: row.started, archived };
  }
}
