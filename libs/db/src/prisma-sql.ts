/**
 * Repositories on the shared Prisma client (SPEC §1, issue 9 item 5): typed model queries where
 * they fit, `$queryRaw` for the procedure calls, Prisma's interactive transactions where a
 * transaction spans statements. What withTransaction and runIdempotent do on a pg
 * pool, these do on the Prisma client: retries of serialization failures and deadlocks, and the
 * idempotency record in the same transaction as the change.
 */
import { AppError, ErrorCode } from '@trustno1/contracts';
import type { Prisma, PrismaClient } from './generated/prisma/client';
import { checkIdempotencyKey, type IdempotencyClaim, type IdempotentOutcome } from './idempotency';
import { isRetryable, retryingContention, type TransactionOptions } from './transaction';

/** A Prisma client or the client of an interactive transaction: what a repository method takes. */
export type PrismaDb = PrismaClient | Prisma.TransactionClient;

/** A PostgreSQL error as pg gives it, whichever driver it came through. */
export interface SqlError {
  /** SQLSTATE (`P0001`, `23505`, `40001`, …). */
  code: string;
  message: string;
  detail?: string;
  constraint?: string;
}

interface AdapterCause {
  originalCode?: unknown;
  originalMessage?: unknown;
  code?: unknown;
  message?: unknown;
  detail?: unknown;
  constraint?: unknown;
}

/**
 * The PostgreSQL error inside `error`: a pg `DatabaseError` as it is, or the cause Prisma's
 * driver adapter keeps in `meta.driverAdapterError.cause` (Prisma wraps every raw-query failure
 * as P2010 and keeps SQLSTATE, message and detail there). Undefined for anything else.
 */
export function sqlErrorOf(error: unknown): SqlError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const meta = (error as { meta?: { driverAdapterError?: { cause?: AdapterCause } } }).meta;
  const cause = meta?.driverAdapterError?.cause;
  if (cause) {
    const code = typeof cause.originalCode === 'string' ? cause.originalCode : cause.code;
    const message = typeof cause.message === 'string' ? cause.message : cause.originalMessage;
    if (typeof code !== 'string') return undefined;
    return {
      code,
      message: typeof message === 'string' ? message : '',
      detail: typeof cause.detail === 'string' ? cause.detail : undefined,
      constraint: constraintName(cause.constraint),
    };
  }
  const pg = error as { code?: unknown; message?: unknown; detail?: unknown; constraint?: unknown };
  if (typeof pg.code !== 'string' || !/^[0-9A-Z]{5}$/.test(pg.code)) return undefined;
  return {
    code: pg.code,
    message: typeof pg.message === 'string' ? pg.message : '',
    detail: typeof pg.detail === 'string' ? pg.detail : undefined,
    constraint: typeof pg.constraint === 'string' ? pg.constraint : undefined,
  };
}

// The adapter names the violated index of a unique or foreign-key violation as `{ index }`.
function constraintName(constraint: unknown): string | undefined {
  if (typeof constraint === 'string') return constraint;
  const index = (constraint as { index?: unknown } | null | undefined)?.index;
  return typeof index === 'string' ? index : undefined;
}

/** Serialization failure or deadlock, through pg or Prisma (P2034: Prisma's own write conflict). */
export function isRetryableSql(error: unknown): boolean {
  if ((error as { code?: unknown })?.code === 'P2034') return true;
  return isRetryable(sqlErrorOf(error) ?? error);
}

const ISOLATION: Record<
  NonNullable<TransactionOptions['isolation']>,
  Prisma.TransactionIsolationLevel | undefined
> = {
  // The session default (createPool), so no SET TRANSACTION round trip.
  'read committed': undefined,
  'repeatable read': 'RepeatableRead',
  serializable: 'Serializable',
};

export interface PrismaTransactionOptions extends TransactionOptions {
  /** How long the transaction may run before Prisma rolls it back (ms). */
  timeoutMs?: number;
}

const retrying = <T>(attempt: () => Promise<T>, options: { attempts?: number; backoffMs?: number }) =>
  retryingContention(attempt, options, isRetryableSql);

/**
 * `work` in one interactive transaction of the Prisma client, retried on serialization failures
 * and deadlocks at most `attempts` times with full jitter (SPEC §9), like withTransaction. READ
 * COMMITTED is the session default that createPool pins: Prisma would spend a round trip of its
 * own on `SET TRANSACTION ISOLATION LEVEL`, so only the other levels are named.
 */
export function prismaTransaction<T>(
  prisma: PrismaClient,
  work: (tx: Prisma.TransactionClient) => Promise<T>,
  options: PrismaTransactionOptions = {},
): Promise<T> {
  return retrying(
    () =>
      prisma.$transaction(work, {
        // Prisma sends the level as a statement of its own after BEGIN: only when one is asked for,
        // so a default (read committed) transaction costs no extra round trip.
        isolationLevel: options.isolation ? ISOLATION[options.isolation] : undefined,
        maxWait: 5_000,
        timeout: options.timeoutMs ?? 15_000,
      }),
    options,
  );
}

/**
 * One statement that is its own transaction (a procedure call: one round trip), retried like a
 * transaction on serialization failures and deadlocks.
 */
export function prismaStatement<T>(
  work: () => Promise<T>,
  options: Omit<TransactionOptions, 'isolation'> = {},
): Promise<T> {
  return retrying(work, options);
}

/**
 * runIdempotent on the Prisma client: the claim (`idempotency_claim`), `work` and the stored
 * response (`idempotency_store`) commit together in one interactive transaction; a replay returns
 * the stored response, the same key with another request is IDEMPOTENCY_KEY_REUSED, a failure
 * stores nothing. Without a claim it is a plain retrying transaction.
 */
export async function runIdempotentPrisma<T>(
  prisma: PrismaClient,
  claim: IdempotencyClaim | undefined,
  work: (tx: Prisma.TransactionClient) => Promise<T>,
  options: PrismaTransactionOptions & { storeAs?: (result: T) => T } = {},
): Promise<IdempotentOutcome<T>> {
  if (!claim) return { result: await prismaTransaction(prisma, work, options), replayed: false };
  checkIdempotencyKey(claim);
  try {
    return await prismaTransaction(
      prisma,
      async (tx) => {
        const [claimed] = await tx.$queryRaw<{ replayed: boolean; response: T }[]>`
          SELECT replayed, response FROM idempotency_claim(${claim.principal}, ${claim.key}, ${claim.requestHash})`;
        if (claimed.replayed) return { result: claimed.response, replayed: true };
        const result = await work(tx);
        const stored = JSON.stringify((options.storeAs ? options.storeAs(result) : result) ?? null);
        await tx.$executeRaw`SELECT idempotency_store(${claim.principal}, ${claim.key}, ${stored}::jsonb)`;
        return { result, replayed: false };
      },
      options,
    );
  } catch (error) {
    const sql = sqlErrorOf(error);
    if (sql?.code === 'P0001' && sql.message === ErrorCode.IDEMPOTENCY_KEY_REUSED) {
      throw new AppError(
        ErrorCode.IDEMPOTENCY_KEY_REUSED,
        'This Idempotency-Key was used for another request',
        {
          key: claim.key,
        },
      );
    }
    throw error;
  }
}
