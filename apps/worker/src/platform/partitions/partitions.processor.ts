import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ProcessorRegistry } from '@trustno1/queues';
import { PartitionsRepository } from './partitions.repository';

/** How far ahead partitions exist, so no write ever waits for one (SPEC §3). */
export const PARTITION_MONTHS_AHEAD = 3;

/** `partitions.ensure`: daily and at boot, creates the coming months' log partitions. */
@Injectable()
export class PartitionsProcessor implements OnModuleInit {
  private readonly logger = new Logger('partitions');

  constructor(
    private readonly registry: ProcessorRegistry,
    private readonly repository: PartitionsRepository,
  ) {}

  onModuleInit(): void {
    this.registry.registerSchedule('partitions.ensure', () => this.run(), PartitionsProcessor.name);
  }

  async run(): Promise<{ created: string[] }> {
    const created = await this.repository.ensurePartitions(PARTITION_MONTHS_AHEAD);
    if (created.length > 0) this.logger.log({ created }, 'partitions created');
    return { created };
  }
}
