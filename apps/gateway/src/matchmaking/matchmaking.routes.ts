import { Module } from '@nestjs/common';

/** HTTP routes of matchmaking (SPEC §7); controllers forward to the accounts service over NATS. */
@Module({ controllers: [] })
export class MatchmakingRoutesModule {}
