import { Inject, Module, type OnModuleDestroy } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { QueueProducer } from '@trustno1/queues';
import { QUEUE_CONNECTION, WORKER_CONFIG } from '../../runtime/tokens';
import type { WorkerAppConfig } from '../../worker.config';
import { EventsProcessors } from './events.processors';
import { EVENTS_PRODUCER } from './tokens';

/** World events: the spawn and expiry schedules and the event_spawn queue (issue 5). */
@Module({
  providers: [
    {
      provide: EVENTS_PRODUCER,
      inject: [QUEUE_CONNECTION, WORKER_CONFIG],
      useFactory: (connection: Redis, config: WorkerAppConfig) =>
        new QueueProducer({ connection, redisKeyPrefix: config.REDIS_KEY_PREFIX }),
    },
    EventsProcessors,
  ],
})
export class EventsModule implements OnModuleDestroy {
  constructor(@Inject(EVENTS_PRODUCER) private readonly producer: QueueProducer) {}

  /** Closes the producer's queues; the connection is the worker core's. */
  async onModuleDestroy(): Promise<void> {
    await this.producer.close();
  }
}
