import { Module } from '@nestjs/common';
import { LogsArchiveModule } from './logs-archive/logs-archive.module';
import { OutboxRelayModule } from './outbox/outbox-relay.module';
import { PartitionsModule } from './partitions/partitions.module';

/** The platform's jobs: partitions ahead, log archiving, the outbox relay. */
@Module({ imports: [PartitionsModule, LogsArchiveModule, OutboxRelayModule] })
export class PlatformJobsModule {}
