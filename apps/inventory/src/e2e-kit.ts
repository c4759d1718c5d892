import type { Pool } from 'pg';

/** What the inventory end-to-end specs share: HTTP calls and a checksum of the item tables. */

export interface Reply<T = unknown> {
  status: number;
  body: T;
}

interface ErrorBody {
  error?: { code: string; details?: { fields?: { field: string }[] } };
}

/** One HTTP call; `raw` sends a body as written (for numbers JSON.stringify cannot produce). */
export async function call<T = unknown>(
  base: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: unknown; raw?: string } = {},
): Promise<Reply<T>> {
  const hasBody = options.body !== undefined || options.raw !== undefined;
  // A JSON content type without a body is malformed JSON to the gateway: send it only with one.
  const headers = Object.fromEntries(
    Object.entries(options.headers ?? {}).filter(([name]) => name.toLowerCase() !== 'content-type'),
  );
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...headers, ...(hasBody ? { 'content-type': 'application/json' } : {}) },
    body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export const codeOf = (reply: Reply) => (reply.body as ErrorBody).error?.code;
export const fieldsOf = (reply: Reply) =>
  ((reply.body as ErrorBody).error?.details?.fields ?? []).map((f) => f.field);

/** Every item row and every ledger row, hashed: a refused request must leave it as it was. */
export async function itemsChecksum(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ sum: string }>(
    `SELECT (SELECT md5(COALESCE(string_agg(t::text, '|' ORDER BY t.id), '')) FROM inventory_items t)
            || ':' ||
            (SELECT md5(COALESCE(string_agg(l::text, '|' ORDER BY l.id), '')) FROM item_ledger l) AS sum`,
  );
  return rows[0].sum;
}

/** A heartbeat through PUT /v1/servers/me/status: the server is live for the next 30 s. */
export async function heartbeat(base: string, headers: Record<string, string>): Promise<void> {
  const reply = await call(base, 'PUT', '/v1/servers/me/status', {
    headers,
    body: { players: 0, maxPlayers: 100, tickRate: 30, version: 'test' },
  });
  if (reply.status !== 204)
    throw new Error(`heartbeat failed: ${reply.status} ${JSON.stringify(reply.body)}`);
}
