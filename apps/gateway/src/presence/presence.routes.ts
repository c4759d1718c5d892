import { Module } from '@nestjs/common';
import { PresenceController } from './presence.controller';

/** HTTP routes of presence (SPEC §7); controllers forward to the accounts service over NATS. */
@Module({ controllers: [PresenceController] })
export class PresenceRoutesModule {}
