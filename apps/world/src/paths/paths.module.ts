import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { queueRedisUrl } from '@trustno1/config';
import { createQueueConnection, QueueProducer } from '@trustno1/queues';
import type { WorldConfig } from '../world-config';
import { PathsController } from './paths.controller';
import { PathsRepository } from './paths.repository';
import { PathsService } from './paths.service';
import { PATHS_PRODUCER, PATHS_QUEUE_CONNECTION } from './tokens';

/** AI pathfinding requests (issue 5): the world queues ai_pathfinding jobs, the worker runs them. */
@Module({})
export class PathsModule implements OnApplicationShutdown {
  constructor(@Inject(PATHS_QUEUE_CONNECTION) private readonly connection: Redis) {}

  static forRoot(
    config: Pick<WorldConfig, 'QUEUE_REDIS_URL' | 'REDIS_URL' | 'REDIS_KEY_PREFIX'>,
  ): DynamicModule {
    return {
      module: PathsModule,
      controllers: [PathsController],
      providers: [
        {
          provide: PATHS_QUEUE_CONNECTION,
          useFactory: () => createQueueConnection(queueRedisUrl(config), 'world-paths'),
        },
        {
          provide: PATHS_PRODUCER,
          inject: [PATHS_QUEUE_CONNECTION],
          useFactory: (connection: Redis) =>
            new QueueProducer({ connection, redisKeyPrefix: config.REDIS_KEY_PREFIX }),
        },
        PathsService,
        PathsRepository,
      ],
    };
  }

  /** After every module is destroyed (PathsService closed its queues), the connection goes. */
  async onApplicationShutdown(): Promise<void> {
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}
