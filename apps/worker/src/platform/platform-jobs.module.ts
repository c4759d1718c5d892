import { Module } from '@nestjs/common';
import { LedgersModule } from './ledgers/ledgers.module';
import { LogsArchiveModule } from './logs-archive/logs-archive.module';
import { OutboxRelayModule } from './outbox/outbox-relay.module';
import { PartitionsModule } from './partitions/partitions.module';
import { RetentionModule } from './retention/retention.module';

/** The platform's jobs: partitions ahead, log archiving, the outbox relay, retention, ledger checks. */
@Module({ imports: [PartitionsModule, LogsArchiveModule, OutboxRelayModule, RetentionModule, LedgersModule] })
export class PlatformJobsModule {}
