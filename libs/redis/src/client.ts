import { Redis, type RedisOptions } from 'ioredis';

export interface RedisClientOptions {
  url: string;
  /** Prepended to every key; used to isolate test files sharing one server. */
  keyPrefix?: string;
  /** Shown in CLIENT LIST, useful when reading a production server's connections. */
  name?: string;
  /** BullMQ needs `null` here; ordinary clients fail a command after a few retries. */
  maxRetriesPerRequest?: number | null;
}

/** Creates an ioredis client that connects lazily and never retries commands forever. */
export function createRedisClient(options: RedisClientOptions): Redis {
  const redisOptions: RedisOptions = {
    keyPrefix: options.keyPrefix || undefined,
    connectionName: options.name,
    lazyConnect: true,
    maxRetriesPerRequest: options.maxRetriesPerRequest === undefined ? 2 : options.maxRetriesPerRequest,
    enableOfflineQueue: true,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  };
  return new Redis(options.url, redisOptions);
}

/** Reads `maxmemory-policy`; BullMQ loses jobs under any policy but `noeviction`. */
export async function maxmemoryPolicy(client: Redis): Promise<string> {
  const reply = (await client.config('GET', 'maxmemory-policy')) as string[];
  return reply[1] ?? 'unknown';
}
