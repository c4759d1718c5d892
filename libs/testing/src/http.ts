import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { createRedisClient } from '@trustno1/redis';

/** An HTTP answer with its JSON body parsed (`undefined` when the body is empty). */
export interface Reply<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** The error envelope every app answers with (SPEC §7). */
export interface ErrorBody {
  error: {
    code: string;
    message: string;
    requestId: string;
    details?: { fields?: { field: string }[]; reason?: string; playerIds?: string[]; [key: string]: unknown };
  };
}

/** What `call` sends: extra headers, and a body as JSON (`body`) or as written (`raw`). */
export interface CallOptions {
  headers?: Record<string, string>;
  body?: unknown;
  /** A body sent as written, for JSON that JSON.stringify cannot produce. */
  raw?: string;
}

/**
 * One HTTP call to `base` (the gateway's URL); sends a JSON content type only with a body, since
 * a JSON content type without one is malformed JSON to the gateway.
 */
export async function call<T = unknown>(
  base: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply<T>> {
  const hasBody = options.body !== undefined || options.raw !== undefined;
  const headers = Object.fromEntries(
    Object.entries(options.headers ?? {}).filter(([name]) => name.toLowerCase() !== 'content-type'),
  );
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...headers, ...(hasBody ? { 'content-type': 'application/json' } : {}) },
    body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : undefined) as T,
    headers: response.headers,
  };
}

/**
 * `fetch` with `content-type: application/json` on every request (also without a body) and the
 * body JSON-encoded: the raw Response, for specs that read status and body themselves.
 */
export function fetchJson(
  base: string,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<Response> {
  return fetch(`${base}${path}`, {
    method,
    headers: { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** The error code of a reply (`undefined` when it is no error). */
export const codeOf = (reply: Reply): string | undefined => (reply.body as Partial<ErrorBody>).error?.code;

/** The details of an error reply (`{}` when it has none). */
export const detailsOf = (reply: Reply): NonNullable<ErrorBody['error']['details']> =>
  (reply.body as Partial<ErrorBody>).error?.details ?? {};

/** The fields a 400 reply names, in its order. */
export const fieldsOf = (reply: Reply): string[] => (detailsOf(reply).fields ?? []).map((f) => f.field);

/** A game server's heartbeat through PUT /v1/servers/me/status: it is live for the next 30 s. */
export async function heartbeat(
  base: string,
  serverKey: string,
  players = 0,
  maxPlayers = 100,
): Promise<void> {
  const reply = await call(base, 'PUT', '/v1/servers/me/status', {
    headers: { 'x-server-key': serverKey },
    body: { players, maxPlayers, tickRate: 30, version: 'test' },
  });
  if (reply.status !== 204)
    throw new Error(`heartbeat failed: ${reply.status} ${JSON.stringify(reply.body)}`);
}

/**
 * Every key of a Redis namespace and its value, except what authenticating any request touches
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
    for (const key of keys.sort()) {
      const value = await dump(raw, key);
      // A key whose TTL ran out between SCAN and reading it is no longer in the namespace.
      if (value !== undefined) out[key] = value;
    }
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
    case 'none':
      return undefined;
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

/** Every item row and every ledger row, hashed: a refused request must leave it as it was. */
export async function itemsChecksum(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ sum: string }>(
    `SELECT (SELECT md5(COALESCE(string_agg(t::text, '|' ORDER BY t.id), '')) FROM inventory_items t)
            || ':' ||
            (SELECT md5(COALESCE(string_agg(l::text, '|' ORDER BY l.id), '')) FROM item_ledger l) AS sum`,
  );
  return rows[0].sum;
}
