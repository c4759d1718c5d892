import type { Pool } from 'pg';
import type { Redis } from 'ioredis';
import { createRedisClient } from '@trustno1/redis';

/** What the presence and matchmaking end-to-end specs share. */

export interface Reply<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export interface ErrorBody {
  error: { code: string; message: string; details?: { fields?: { field: string }[]; playerIds?: string[] } };
}

/** One HTTP call; `raw` sends a body as written (for JSON that JSON.stringify cannot produce). */
export async function call<T = unknown>(
  base: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: unknown; raw?: string } = {},
): Promise<Reply<T>> {
  const hasBody = options.body !== undefined || options.raw !== undefined;
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...options.headers },
    body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : undefined) as T,
    headers: response.headers,
  };
}

export const fieldsOf = (reply: Reply) =>
  ((reply.body as ErrorBody).error?.details?.fields ?? []).map((f) => f.field);
export const codeOf = (reply: Reply) => (reply.body as ErrorBody).error?.code;

/** A heartbeat through PUT /v1/servers/me/status: the server is live for the next 30 s. */
export async function heartbeat(base: string, apiKey: string, players = 0, maxPlayers = 100): Promise<void> {
  const reply = await call(base, 'PUT', '/v1/servers/me/status', {
    headers: { 'x-server-key': apiKey },
    body: { players, maxPlayers, tickRate: 30, version: 'test' },
  });
  if (reply.status !== 204)
    throw new Error(`heartbeat failed: ${reply.status} ${JSON.stringify(reply.body)}`);
}

/**
 * Every key of the namespace and its value, except what authenticating any request touches
 * (rate-limit counters, the game server key cache), to prove that a refused request wrote nothing.
 */
export async function redisSnapshot(redisUrl: string, prefix: string): Promise<Record<string, unknown>> {
  const raw = createRedisClient({ url: redisUrl, name: 'snapshot' });
  try {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await raw.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      keys.push(...batch.filter((k) => !k.includes('ratelimit:') && !k.includes('server:key:')));
      cursor = next;
    } while (cursor !== '0');
    const out: Record<string, unknown> = {};
    for (const key of keys.sort()) out[key] = await dump(raw, key);
    return out;
  } finally {
    raw.disconnect();
  }
}

async function dump(redis: Redis, key: string): Promise<unknown> {
  switch (await redis.type(key)) {
    case 'hash':
      return redis.hgetall(key);
    case 'set':
      return (await redis.smembers(key)).sort();
    case 'zset':
      return redis.zrange(key, 0, -1, 'WITHSCORES');
    case 'list':
      return redis.lrange(key, 0, -1);
    case 'string':
      return redis.get(key);
    default:
      return null;
  }
}

/** The presence columns of every character, to prove a refused request changed no row. */
export async function playersSnapshot(pool: Pool): Promise<unknown[]> {
  const { rows } = await pool.query<Record<string, unknown>>(
    `SELECT id, server_id, is_online, position, rotation, chunk_x, chunk_z, health, playtime_seconds, last_seen, linger_until
       FROM players ORDER BY id`,
  );
  return rows;
}
