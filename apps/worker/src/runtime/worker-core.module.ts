import { Global, Module, type DynamicModule } from '@nestjs/common';
import { createQueueConnection, ProcessorRegistry } from '@trustno1/queues';
import type { WorkerAppConfig } from '../worker.config';
import { QUEUE_CONNECTION, WORKER_CONFIG } from './tokens';

/** What every processor module needs: the config, the BullMQ connection and the registry. */
@Global()
@Module({})
export class WorkerCoreModule {
  static forRoot(config: WorkerAppConfig): DynamicModule {
    return {
      module: WorkerCoreModule,
      providers: [
        { provide: WORKER_CONFIG, useValue: config },
        {
          provide: QUEUE_CONNECTION,
          useFactory: () => createQueueConnection(config.QUEUE_REDIS_URL, 'worker-bullmq'),
        },
        { provide: ProcessorRegistry, useFactory: () => new ProcessorRegistry() },
      ],
      exports: [WORKER_CONFIG, QUEUE_CONNECTION, ProcessorRegistry],
    };
  }
}
