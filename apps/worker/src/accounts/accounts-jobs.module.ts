import { Module } from '@nestjs/common';
import { MatchmakingModule } from './matchmaking/matchmaking.module';
import { PresenceModule } from './presence/presence.module';

/** The accounts domain's jobs: the positions flush and matchmaking assignment schedules. */
@Module({ imports: [PresenceModule, MatchmakingModule] })
export class AccountsJobsModule {}
