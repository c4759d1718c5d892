import { AppError, ErrorCode } from '@trustno1/contracts';
import { sqlErrorOf } from './prisma-sql';

/** SQLSTATEs withTransaction retries; still failing after its attempts means heavy contention. */
const CONTENTION = new Set(['40001', '40P01']);
/** Cannot connect now: connection exceptions (08xxx), shutdown or start-up in progress. */
const DOWN = new Set(['57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET']);

/**
 * The AppError for database conditions that a retry a little later can clear (503 UNAVAILABLE,
 * `details.reason`): the pool had no free connection in time, serialization failures or deadlocks
 * outlasted withTransaction's retries, or PostgreSQL is unreachable. Null for anything else,
 * which stays a bug (INTERNAL).
 */
export function databaseUnavailable(error: unknown): AppError | null {
  if (error instanceof AppError || typeof error !== 'object' || error === null) return null;
  // Through pg the error is pg's; through Prisma the SQLSTATE is inside the driver adapter's cause.
  const sql = sqlErrorOf(error);
  const code = sql?.code ?? (error as { code?: unknown }).code;
  const message = (error as { message?: unknown }).message;
  const text = `${typeof message === 'string' ? message : ''} ${sql?.message ?? ''}`;
  const reason = text.includes('timeout exceeded when trying to connect')
    ? 'pool_exhausted'
    : typeof code === 'string' && CONTENTION.has(code)
      ? 'contention'
      : (typeof code === 'string' && (code.startsWith('08') || DOWN.has(code))) ||
          text.includes('Connection terminated')
        ? 'database_down'
        : null;
  return reason
    ? new AppError(ErrorCode.UNAVAILABLE, 'The database is busy; retry shortly', { reason })
    : null;
}
