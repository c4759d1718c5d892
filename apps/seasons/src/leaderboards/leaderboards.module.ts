import { Module } from '@nestjs/common';
import { KillConsumer } from './kill.consumer';
import { LeaderboardStore } from './leaderboard.store';
import { LeaderboardsController } from './leaderboards.controller';
import { LeaderboardsRepository } from './leaderboards.repository';
import { LeaderboardsService } from './leaderboards.service';

/** Leaderboards (issue 15): the five boards, their rebuilds and the kill-event consumer. */
@Module({
  controllers: [LeaderboardsController],
  providers: [LeaderboardsRepository, LeaderboardStore, LeaderboardsService, KillConsumer],
  exports: [LeaderboardsService],
})
export class LeaderboardsModule {}
