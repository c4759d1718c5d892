import { Pool, type PoolClient, type QueryResultRow } from 'pg';
import { withSearchPath } from './roles';

/** Statements slower than this are logged and counted (the seed's "queries lentas (>100ms)"). */
export const SLOW_STATEMENT_MS = 100;

export interface PoolOptions {
  url: string;
  max?: number;
  application?: string;
  /** Set on every session of the pool, in place of any `options` of the URL. */
  searchPath?: string;
  onSlowStatement?: (text: string, ms: number) => void;
}

/**
 * An error after which the connection may not be reused: the socket failed, or the server ended
 * the session. A statement PostgreSQL refused (a coded procedure error, a constraint) leaves the
 * session as good as before.
 */
function connectionBroken(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return true;
  return code.startsWith('08') || code.startsWith('57P') || code === 'XX000';
}

/**
 * pg's Pool whose one-statement `query` gives the connection back whole when PostgreSQL refuses
 * the statement. pg-pool's own `query` destroys the connection on any error, so every refused
 * request (a full slot, a stale source) would cost a new backend, whose first calls recompile
 * every PL/pgSQL function: measured 30 times slower. Prisma's driver adapter sends every
 * statement outside an interactive transaction through this method.
 */
class KeepingPool extends Pool {
  override query(...args: unknown[]): never {
    const callback = args[args.length - 1];
    if (typeof callback === 'function') return (super.query as (...a: unknown[]) => never)(...args);
    return this.connect().then(async (client) => {
      try {
        const result = await (client.query as (...a: unknown[]) => Promise<unknown>).apply(client, args);
        client.release();
        return result;
      } catch (error) {
        client.release(connectionBroken(error) ? (error as Error) : undefined);
        throw error;
      }
    }) as never;
  }
}

/** A pg pool with sane timeouts; the slow-statement hook sees every query it runs. */
export function createPool(options: PoolOptions): Pool {
  const pool = new KeepingPool({
    connectionString: withSessionDefaults(
      options.searchPath ? withSearchPath(options.url, options.searchPath) : options.url,
    ),
    max: options.max ?? 10,
    application_name: options.application,
    connectionTimeoutMillis: 3_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  if (options.onSlowStatement) instrument(pool, options.onSlowStatement);
  return pool;
}

// Session settings the Prisma helpers rely on. Prisma's pg adapter sends a Date as a timestamp
// without offset, which PostgreSQL reads in the session's time zone (prisma/orm#26786): in UTC it
// is the instant it was. prismaTransaction leaves READ COMMITTED to the session default rather
// than spending a round trip on SET TRANSACTION, so the default is pinned here.
const SESSION_DEFAULTS: [RegExp, string][] = [
  [/timezone=/i, '-c TimeZone=UTC'],
  [/default_transaction_isolation=/i, '-c default_transaction_isolation=read\\ committed'],
];

function withSessionDefaults(url: string): string {
  const parsed = new URL(url);
  let options = parsed.searchParams.get('options') ?? '';
  for (const [present, setting] of SESSION_DEFAULTS) {
    if (!present.test(options)) options = `${options} ${setting}`.trim();
  }
  parsed.searchParams.set('options', options);
  return parsed.toString();
}

function instrument(pool: Pool, onSlow: (text: string, ms: number) => void): void {
  const timed = <T>(text: string, run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    return run().finally(() => {
      const ms = performance.now() - started;
      if (ms > SLOW_STATEMENT_MS) onSlow(text, ms);
    });
  };
  pool.on('connect', (client: PoolClient) => {
    const original = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    (client as unknown as { query: unknown }).query = (...args: unknown[]) => {
      const first = args[0] as string | { text?: string };
      const text = typeof first === 'string' ? first : (first?.text ?? '');
      // Callback-style calls are passed through untimed; the project only uses promises.
      if (typeof args[args.length - 1] === 'function') return original(...args);
      return timed(text, () => original(...args));
    };
  });
}

/** Runs one statement and returns its rows. */
export async function queryRows<R extends QueryResultRow>(
  db: Pool | PoolClient,
  text: string,
  params: unknown[] = [],
): Promise<R[]> {
  const result = await db.query<R>(text, params);
  return result.rows;
}
