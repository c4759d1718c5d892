import type { Pool, PoolClient } from 'pg';

/** SQLSTATEs worth retrying: serialization_failure and deadlock_detected. */
const RETRYABLE = new Set(['40001', '40P01']);

export const MAX_TRANSACTION_ATTEMPTS = 5;

export interface TransactionOptions {
  isolation?: 'read committed' | 'repeatable read' | 'serializable';
  attempts?: number;
  /** Base of the jittered backoff between attempts, in milliseconds. */
  backoffMs?: number;
}

/** True for errors that a retry of the whole transaction can cure. */
export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && RETRYABLE.has(code);
}

/**
 * Runs `work` in one transaction, retrying serialization failures and deadlocks at most
 * `attempts` times with full jitter (SPEC §9). Other errors roll back and propagate at once.
 */
export async function withTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? MAX_TRANSACTION_ATTEMPTS;
  const backoff = options.backoffMs ?? 10;
  for (let attempt = 1; ; attempt++) {
    try {
      return await once(pool, work, options.isolation ?? 'read committed');
    } catch (error) {
      if (!isRetryable(error) || attempt >= attempts) throw error;
      await sleep(Math.random() * backoff * 2 ** attempt);
    }
  }
}

/**
 * Runs one statement that is its own transaction (a procedure call in autocommit: one round
 * trip), retrying serialization failures and deadlocks like withTransaction. The client is
 * checked out and returned whole: pool.query would discard the connection of a failed call, so
 * every refused request would cost a reconnect.
 */
export async function withStatement<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  options: Omit<TransactionOptions, 'isolation'> = {},
): Promise<T> {
  const attempts = options.attempts ?? MAX_TRANSACTION_ATTEMPTS;
  const backoff = options.backoffMs ?? 10;
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    try {
      return await work(client);
    } catch (error) {
      if (!isRetryable(error) || attempt >= attempts) throw error;
    } finally {
      client.release();
    }
    await sleep(Math.random() * backoff * 2 ** attempt);
  }
}

async function once<T>(pool: Pool, work: (client: PoolClient) => Promise<T>, isolation: string): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(`BEGIN ISOLATION LEVEL ${isolation.toUpperCase()}`);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
