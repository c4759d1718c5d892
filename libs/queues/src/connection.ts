import type { Redis } from 'ioredis';
import { createRedisClient, maxmemoryPolicy } from '@trustno1/redis';

/**
 * The ioredis connection BullMQ needs: its own (not the hot-state client), no ioredis keyPrefix
 * (BullMQ refuses it; the queue prefix does that job) and commands that wait out a reconnect
 * instead of failing (`maxRetriesPerRequest: null`), so blocking workers survive a Redis blip.
 */
export function createQueueConnection(url: string, name = 'bullmq'): Redis {
  return createRedisClient({ url, name, maxRetriesPerRequest: null });
}

/** Thrown when the Redis behind QUEUE_REDIS_URL could evict queued jobs. */
export class QueueRedisPolicyError extends Error {
  constructor(
    readonly url: string,
    readonly policy: string,
  ) {
    super(
      `QUEUE_REDIS_URL (${url}) has maxmemory-policy "${policy}"; BullMQ needs "noeviction", ` +
        'otherwise Redis may silently drop queued jobs under memory pressure. Run ' +
        '"CONFIG SET maxmemory-policy noeviction" (and set it in redis.conf), or point QUEUE_REDIS_URL ' +
        'at a Redis configured that way.',
    );
    this.name = 'QueueRedisPolicyError';
  }
}

/** The part of a client the guard uses; tests can hand in a small object. */
export type PolicySource = Pick<Redis, 'config'>;

/** Refuses a BullMQ Redis whose maxmemory-policy is not `noeviction` (or cannot be read). */
export async function assertNoEviction(client: PolicySource, url: string): Promise<void> {
  const shown = redactUrl(url);
  let policy: string;
  try {
    policy = await maxmemoryPolicy(client as Redis);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new QueueRedisPolicyError(shown, `unreadable: ${reason}`);
  }
  if (policy !== 'noeviction') throw new QueueRedisPolicyError(shown, policy);
}

/** A URL fit for logs: the password replaced. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}
