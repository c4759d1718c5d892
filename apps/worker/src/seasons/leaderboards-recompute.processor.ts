import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { BusClient } from '@trustno1/bus';
import { SeasonsOps, type RebuildLeaderboardsView } from '@trustno1/contracts';
import { ProcessorRegistry } from '@trustno1/queues';

/**
 * `leaderboards.recompute` (hourly; a read that finds no board rebuilds it at once): asks the seasons service to
 * rebuild every leaderboard from PostgreSQL at the schedule's tick, each built aside and swapped in.
 * Schedules run once per cluster per tick; the tick, not the worker's clock, picks the kill boards'
 * day and week.
 */
@Injectable()
export class LeaderboardsRecomputeProcessor implements OnModuleInit {
  private readonly logger = new Logger('leaderboards-recompute');

  constructor(
    private readonly registry: ProcessorRegistry,
    private readonly bus: BusClient,
  ) {}

  onModuleInit(): void {
    this.registry.registerSchedule(
      'leaderboards.recompute',
      ({ tick }) => this.run(tick),
      LeaderboardsRecomputeProcessor.name,
    );
  }

  async run(tick: Date): Promise<RebuildLeaderboardsView> {
    const result = await this.bus.call(
      SeasonsOps.rebuildLeaderboards,
      { now: tick.toISOString() },
      { principal: { kind: 'admin' } },
    );
    this.logger.log({ boards: result.boards }, 'leaderboards rebuilt');
    return result;
  }
}
