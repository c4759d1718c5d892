import type { Pool } from 'pg';
import type { Redis } from 'ioredis';
import type { HealthCheck } from '@trustno1/observability';

/** PostgreSQL answers a trivial query. */
export function postgresCheck(pool: Pool): HealthCheck {
  return { name: 'postgres', check: async () => void (await pool.query('SELECT 1')) };
}

/** Redis answers PING (fails fast while disconnected instead of queueing the command). */
export function redisCheck(redis: Redis, name = 'redis'): HealthCheck {
  return {
    name,
    check: async () => {
      if (redis.status !== 'ready') throw new Error(`connection ${redis.status}`);
      await redis.ping();
    },
  };
}

/** NATS round trip through the app's connection. */
export function natsCheck(ping: () => Promise<unknown>): HealthCheck {
  return { name: 'nats', check: async () => void (await ping()) };
}
