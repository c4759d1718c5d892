import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { loadConfig, queueRedisUrl } from '@trustno1/config';
import { createQueueConnection, QueueProducer } from '@trustno1/queues';
import { worldConfigSchema } from '../common/world-config';
import { PathsController } from './paths.controller';
import { PathsRepository } from './paths.repository';
import { PathsService } from './paths.service';
import { PATHS_PRODUCER, PATHS_QUEUE_CONNECTION } from './tokens';

/** AI pathfinding requests (issue 5): the world queues ai_pathfinding jobs, the worker runs them. */
@Module({
  controllers: [PathsController],
  providers: [
    {
      provide: PATHS_QUEUE_CONNECTION,
      // Validated once already at start-up (main.ts); read again here for the queue URL and prefix.
      useFactory: () =>
        createQueueConnection(queueRedisUrl(loadConfig(worldConfigSchema, process.env)), 'world-paths'),
    },
    {
      provide: PATHS_PRODUCER,
      inject: [PATHS_QUEUE_CONNECTION],
      useFactory: (connection: Redis) =>
        new QueueProducer({
          connection,
          redisKeyPrefix: loadConfig(worldConfigSchema, process.env).REDIS_KEY_PREFIX,
        }),
    },
    PathsService,
    PathsRepository,
  ],
})
export class PathsModule implements OnApplicationShutdown {
  constructor(@Inject(PATHS_QUEUE_CONNECTION) private readonly connection: Redis) {}

  /** After every module is destroyed (PathsService closed its queues), the connection goes. */
  async onApplicationShutdown(): Promise<void> {
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}
