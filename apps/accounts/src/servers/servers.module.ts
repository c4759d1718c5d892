import { Module } from '@nestjs/common';
import { ServerKeyCache } from './server-key.cache';
import { ServerStatusStore } from './server-status.store';
import { ServersController } from './servers.controller';
import { ServersRepository } from './servers.repository';
import { ServersService } from './servers.service';

@Module({
  controllers: [ServersController],
  providers: [ServersService, ServersRepository, ServerStatusStore, ServerKeyCache],
  exports: [ServersService, ServerStatusStore],
})
export class ServersModule {}
