import { Module } from '@nestjs/common';
import { MatchmakingController } from './matchmaking.controller';

/** HTTP routes of matchmaking (SPEC §7); controllers forward to the accounts service over NATS. */
@Module({ controllers: [MatchmakingController] })
export class MatchmakingRoutesModule {}
