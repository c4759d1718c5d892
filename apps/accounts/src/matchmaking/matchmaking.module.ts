import { Module } from '@nestjs/common';
import { MatchmakingAssigner } from './matchmaking-assigner.service';
import { MatchmakingCache } from './matchmaking.cache';
import { MatchmakingController } from './matchmaking.controller';
import { MatchmakingRepository } from './matchmaking.repository';
import { MatchmakingService } from './matchmaking.service';

@Module({
  controllers: [MatchmakingController],
  providers: [MatchmakingService, MatchmakingAssigner, MatchmakingRepository, MatchmakingCache],
})
export class MatchmakingModule {}
