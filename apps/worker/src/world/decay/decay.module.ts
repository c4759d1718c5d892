import { Inject, Module, type OnModuleDestroy } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { QueueProducer } from '@trustno1/queues';
import { QUEUE_CONNECTION, WORKER_CONFIG } from '../../runtime/tokens';
import type { WorkerAppConfig } from '../../worker.config';
import { DecayScanProcessor } from './decay-scan.processor';
import { StructureDecayProcessor } from './structure-decay.processor';
import { DECAY_PRODUCER } from './tokens';

/** Structure decay: the scan schedule and the per-chunk queue (issue 5). */
@Module({
  providers: [
    {
      provide: DECAY_PRODUCER,
      inject: [QUEUE_CONNECTION, WORKER_CONFIG],
      useFactory: (connection: Redis, config: WorkerAppConfig) =>
        new QueueProducer({ connection, redisKeyPrefix: config.REDIS_KEY_PREFIX }),
    },
    DecayScanProcessor,
    StructureDecayProcessor,
  ],
})
export class DecayModule implements OnModuleDestroy {
  constructor(@Inject(DECAY_PRODUCER) private readonly producer: QueueProducer) {}

  /** Closes the producer's queues; the connection is the worker core's. */
  async onModuleDestroy(): Promise<void> {
    await this.producer.close();
  }
}
