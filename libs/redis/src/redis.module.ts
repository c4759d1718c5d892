import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { createRedisClient, type RedisClientOptions } from './client';

/** Injection token of the shared hot-state Redis client. */
export const REDIS = Symbol('REDIS');

class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** Provides one ioredis client (token `REDIS`) for the app and closes it on shutdown. */
@Global()
@Module({})
export class RedisModule {
  static forRoot(options: RedisClientOptions): DynamicModule {
    return {
      module: RedisModule,
      providers: [
        {
          provide: REDIS,
          useFactory: async () => {
            const client = createRedisClient(options);
            await client.connect().catch(() => undefined); // readiness reports it; start-up does not block
            return client;
          },
        },
        RedisLifecycle,
      ],
      exports: [REDIS],
    };
  }
}
