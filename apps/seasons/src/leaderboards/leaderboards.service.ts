import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  AppError,
  ErrorCode,
  LEADERBOARD_DEFAULT_LIMIT,
  LEADERBOARD_DEFAULT_RADIUS,
  type LeaderboardAroundRequest,
  type LeaderboardEntryView,
  type LeaderboardRequest,
  type LeaderboardView,
  type PlayerKilledEvent,
  type RebuildLeaderboardsView,
} from '@trustno1/contracts';
import { LEADERBOARDS, type Leaderboard } from '@trustno1/redis';
import type { PoolClient } from 'pg';
import { CLOCK, type Clock } from '../clock/clock';
import { boardName, periodOf, rankEntries, redisBoard, type Period } from './boards';
import { LeaderboardStore, type BoardState, type StoredPage } from './leaderboard.store';
import { LeaderboardsRepository } from './leaderboards.repository';

type Read = (board: Leaderboard, period: string) => Promise<StoredPage>;

/**
 * The leaderboards (issue 15): read from Redis, rebuilt from PostgreSQL when Redis has no board of
 * the current period (flushed, never built, or a day or week rolled over), and by the hourly
 * schedule. A read never answers an empty board for want of one, nor a 500 for Redis: without Redis
 * it ranks PostgreSQL's scores itself.
 */
@Injectable()
export class LeaderboardsService {
  private readonly logger = new Logger('leaderboards');
  /** One rebuild per board at a time in this process; concurrent readers wait for it. */
  private readonly rebuilding = new Map<Leaderboard, Promise<void>>();

  constructor(
    private readonly repository: LeaderboardsRepository,
    private readonly store: LeaderboardStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async page(request: LeaderboardRequest): Promise<LeaderboardView> {
    const board = redisBoard(request.board);
    const limit = request.limit ?? LEADERBOARD_DEFAULT_LIMIT;
    const offset = request.offset ?? 0;
    const page = await this.read(
      board,
      (b, period) => this.store.range(b, period, offset, offset + limit - 1),
      (all) => all.slice(offset, offset + limit),
    );
    return page;
  }

  async around(request: LeaderboardAroundRequest): Promise<LeaderboardView> {
    const board = redisBoard(request.board);
    const radius = request.radius ?? LEADERBOARD_DEFAULT_RADIUS;
    return this.read(
      board,
      (b, period) => this.store.around(b, period, request.id, radius),
      (all) => {
        const at = all.findIndex((e) => e.id === request.id);
        if (at < 0) throw notOnBoard(request.id);
        return all.slice(Math.max(0, at - radius), at + radius + 1);
      },
      request.id,
    );
  }

  /** The schedule's rebuild of every board, at the tick's period. */
  async rebuildAll(now: Date): Promise<RebuildLeaderboardsView> {
    const boards: RebuildLeaderboardsView['boards'] = [];
    for (const board of LEADERBOARDS) {
      boards.push({ board: boardName(board), entries: await this.rebuild(board, now) });
    }
    return { boards };
  }

  /** Rebuilds one board from PostgreSQL and swaps it in; answers how many entries it has. */
  async rebuild(board: Leaderboard, now: Date): Promise<number> {
    const period = periodOf(board, now);
    const entities = await this.repository.boardScores(board, period);
    await this.store.swapIn(board, entities, stateOf(this.clock.now(), period));
    return entities.length;
  }

  /**
   * A kill event (evt.combat.player.killed.v1), inside the consumer's transaction: the killer's
   * absolute counts of the kill's day and week, set on the kill boards of that period. Applying it
   * twice sets the same numbers.
   */
  async applyKill(event: PlayerKilledEvent, tx: PoolClient): Promise<void> {
    const killerId = event.killerId;
    if (!killerId || killerId === event.playerId) return;
    const killedAt = new Date(event.killedAt);
    const day = periodOf('kills:daily', killedAt)!;
    const week = periodOf('kills:weekly', killedAt)!;
    const counts = await this.repository.killerCounts(tx, killerId, day, week);
    if (!counts) return;
    const updatedAt = this.clock.now().toISOString();
    await this.store.setKills(
      'kills:daily',
      day.from.toISOString(),
      { id: killerId, name: counts.name, score: counts.dayKills },
      updatedAt,
    );
    await this.store.setKills(
      'kills:weekly',
      week.from.toISOString(),
      { id: killerId, name: counts.name, score: counts.weekKills },
      updatedAt,
    );
  }

  private async read(
    board: Leaderboard,
    fromRedis: Read,
    fromRanked: (all: LeaderboardEntryView[]) => LeaderboardEntryView[],
    aroundId?: string,
  ): Promise<LeaderboardView> {
    const now = this.clock.now();
    const period = periodOf(board, now);
    const expected = period?.from.toISOString() ?? '';
    try {
      let stored = await fromRedis(board, expected);
      if (stored.status === 'missing') {
        await this.rebuildOnce(board, now);
        stored = await fromRedis(board, expected);
      }
      if (stored.status === 'absent') throw notOnBoard(aroundId ?? '');
      if (stored.status === 'ok') return viewOf(board, stored.state, stored.entries);
      // Still missing: another period began between the rebuild and the read; rank it directly.
    } catch (err) {
      if (err instanceof AppError) throw err;
      this.logger.warn(
        { board, err: String(err) },
        'leaderboard read from Redis failed; ranking from PostgreSQL',
      );
    }
    const all = rankEntries(await this.repository.boardScores(board, period));
    return viewOf(board, stateOf(now, period), fromRanked(all));
  }

  private rebuildOnce(board: Leaderboard, now: Date): Promise<void> {
    const running = this.rebuilding.get(board);
    if (running) return running;
    const started = this.rebuild(board, now)
      .then(() => undefined)
      .finally(() => this.rebuilding.delete(board));
    this.rebuilding.set(board, started);
    return started;
  }
}

function stateOf(now: Date, period: Period | undefined): BoardState {
  return period
    ? { updatedAt: now.toISOString(), from: period.from.toISOString(), to: period.to.toISOString() }
    : { updatedAt: now.toISOString() };
}

function viewOf(board: Leaderboard, state: BoardState, entries: LeaderboardEntryView[]): LeaderboardView {
  const view: LeaderboardView = { board: boardName(board), updatedAt: state.updatedAt, entries };
  if (state.from && state.to) view.period = { from: state.from, to: state.to };
  return view;
}

function notOnBoard(id: string): AppError {
  return new AppError(ErrorCode.NOT_FOUND, 'not on this leaderboard', { field: 'id', id });
}
