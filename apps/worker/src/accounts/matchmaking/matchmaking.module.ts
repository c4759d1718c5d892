import { Module } from '@nestjs/common';
import { MatchmakingAssignProcessor } from './matchmaking-assign.processor';

@Module({ providers: [MatchmakingAssignProcessor] })
export class MatchmakingModule {}
