import { Module } from '@nestjs/common';
import { LogsArchiveModule } from './logs-archive/logs-archive.module';
import { OutboxRelayModule } from './outbox/outbox-relay.module';
import { PartitionsModule } from './partitions/partitions.module';
import { RetentionModule } from './retention/retention.module';

/** The platform's jobs: partitions ahead, log archiving, the outbox relay, retention. */
@Module({ imports: [PartitionsModule, LogsArchiveModule, OutboxRelayModule, RetentionModule] })
export class PlatformJobsModule {}
