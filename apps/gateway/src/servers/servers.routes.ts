import { Module } from '@nestjs/common';
import { AdminServersController, ServersController } from './servers.controller';

/** HTTP routes of servers (SPEC §7); controllers forward to the accounts service over NATS. */
@Module({ controllers: [AdminServersController, ServersController] })
export class ServersRoutesModule {}
