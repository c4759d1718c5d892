import { Module } from '@nestjs/common';
import { PresenceFlushService } from './presence-flush.service';
import { PresenceCache } from './presence.cache';
import { PresenceController } from './presence.controller';
import { PresenceRepository } from './presence.repository';
import { PresenceService } from './presence.service';

@Module({
  controllers: [PresenceController],
  providers: [PresenceService, PresenceFlushService, PresenceRepository, PresenceCache],
})
export class PresenceModule {}
