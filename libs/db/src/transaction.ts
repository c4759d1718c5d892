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
export function withTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  return retryingContention(() => once(pool, work, options.isolation ?? 'read committed'), options);
}

/**
 * Runs `attempt` again on a serialization failure or deadlock (`retryable`), at most `attempts`
 * times with full jitter; anything else propagates at once. The retry policy of every transaction
 * helper, on pg (withTransaction) and on Prisma (prismaTransaction, prismaStatement).
 */
export async function retryingContention<T>(
  attempt: () => Promise<T>,
  options: { attempts?: number; backoffMs?: number } = {},
  retryable: (error: unknown) => boolean = isRetryable,
): Promise<T> {
  const attempts = options.attempts ?? MAX_TRANSACTION_ATTEMPTS;
  const backoff = options.backoffMs ?? 10;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!retryable(error) || n >= attempts) throw error;
      await sleep(Math.random() * backoff * 2 ** n);
    }
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
