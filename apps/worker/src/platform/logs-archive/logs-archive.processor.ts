import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ProcessorRegistry } from '@trustno1/queues';
import { LogsArchiveService } from './logs-archive.service';

/** Registers `logs.archive`; the tick is the run's "now", so the cutoff is that of the planned time. */
@Injectable()
export class LogsArchiveProcessor implements OnModuleInit {
  constructor(
    private readonly registry: ProcessorRegistry,
    private readonly service: LogsArchiveService,
  ) {}

  onModuleInit(): void {
    this.registry.registerSchedule(
      'logs.archive',
      (run) => this.service.run(run.tick),
      LogsArchiveProcessor.name,
    );
  }
}
