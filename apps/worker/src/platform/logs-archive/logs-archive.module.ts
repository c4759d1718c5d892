import { Module } from '@nestjs/common';
import { WORKER_CONFIG } from '../../runtime/tokens';
import type { WorkerAppConfig } from '../../worker.config';
import { LogsArchiveProcessor } from './logs-archive.processor';
import { LogsArchiveRepository } from './logs-archive.repository';
import { LOGS_ARCHIVE_OPTIONS, LogsArchiveService, type LogsArchiveOptions } from './logs-archive.service';

@Module({
  providers: [
    {
      provide: LOGS_ARCHIVE_OPTIONS,
      inject: [WORKER_CONFIG],
      useFactory: (config: WorkerAppConfig): LogsArchiveOptions => ({
        archiveDir: config.ARCHIVE_DIR,
        monthsKept: 3,
        lockTimeoutMs: 5_000,
      }),
    },
    LogsArchiveRepository,
    LogsArchiveService,
    LogsArchiveProcessor,
  ],
})
export class LogsArchiveModule {}
