import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { AppError, ErrorCode, principalKey, type Principal } from '@trustno1/contracts';
import { withTransaction, type TransactionOptions } from './transaction';

/** One caller's key for one request: `principal` scopes the key, `requestHash` pins the request. */
export interface IdempotencyClaim {
  principal: string;
  key: string;
  requestHash: string;
}

export interface IdempotentOutcome<T> {
  result: T;
  /** True when the stored result of an earlier request with the same key was returned. */
  replayed: boolean;
}

export const IDEMPOTENCY_KEY_MAX = 255;

/** SHA-256 of the operation and its payload: same key with another body is a different request. */
export function requestHash(operation: string, payload: unknown): string {
  return createHash('sha256')
    .update(operation)
    .update('\n')
    .update(JSON.stringify(payload ?? null))
    .digest('hex');
}

/**
 * The claim of a request that carries an idempotency key (HTTP `Idempotency-Key`, the same NATS
 * header), scoped to its principal and pinned to `subject` and `payload`; none without a key.
 */
export function idempotencyClaim(
  subject: string,
  payload: unknown,
  request: { principal: Principal; idempotencyKey?: string | undefined },
): IdempotencyClaim | undefined {
  if (!request.idempotencyKey) return undefined;
  return {
    principal: principalKey(request.principal),
    key: request.idempotencyKey,
    requestHash: requestHash(subject, payload),
  };
}

/**
 * Refuses an empty or oversize key before any database work (400 naming `Idempotency-Key`).
 * Operations that claim their key inside their own SQL function (idempotency_claim) call this
 * first, as runIdempotent does.
 */
export function checkIdempotencyKey(claim: IdempotencyClaim): void {
  if (claim.key.length === 0 || claim.key.length > IDEMPOTENCY_KEY_MAX) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, 'Invalid Idempotency-Key', {
      fields: [{ field: 'Idempotency-Key', message: `must be 1 to ${IDEMPOTENCY_KEY_MAX} characters` }],
    });
  }
}

/**
 * Runs `work` in one transaction together with the idempotency record, so the effect and the
 * stored result commit or vanish together: a retry after a crash between commit and reply gets
 * the stored result, a concurrent retry waits on the key's row and then gets it too, and the same
 * key with another request is refused with IDEMPOTENCY_KEY_REUSED. Without a claim it is a plain
 * retrying transaction. Failures store nothing, so a failed request can be retried.
 */
export async function runIdempotent<T>(
  pool: Pool,
  claim: IdempotencyClaim | undefined,
  work: (tx: PoolClient) => Promise<T>,
  options?: TransactionOptions & {
    /** What to keep for replays when the result holds a secret that must not be stored (a key). */
    storeAs?: (result: T) => T;
  },
): Promise<IdempotentOutcome<T>> {
  if (!claim) return { result: await withTransaction(pool, work, options), replayed: false };
  checkIdempotencyKey(claim);
  return withTransaction(
    pool,
    async (tx) => {
      const claimed = await tx.query(
        `INSERT INTO idempotency_keys (principal, key, request_hash) VALUES ($1, $2, $3)
         ON CONFLICT (principal, key) DO NOTHING RETURNING key`,
        [claim.principal, claim.key, claim.requestHash],
      );
      if (claimed.rowCount === 0) return replay<T>(tx, claim);
      const result = await work(tx);
      await tx.query(
        `UPDATE idempotency_keys SET response = $3::jsonb, status_code = 200 WHERE principal = $1 AND key = $2`,
        [
          claim.principal,
          claim.key,
          JSON.stringify((options?.storeAs ? options.storeAs(result) : result) ?? null),
        ],
      );
      return { result, replayed: false };
    },
    options,
  );
}

async function replay<T>(tx: PoolClient, claim: IdempotencyClaim): Promise<IdempotentOutcome<T>> {
  const stored = await tx.query<{ request_hash: string; response: T }>(
    `SELECT request_hash, response FROM idempotency_keys WHERE principal = $1 AND key = $2`,
    [claim.principal, claim.key],
  );
  const row = stored.rows[0];
  if (!row || row.request_hash !== claim.requestHash) {
    throw new AppError(
      ErrorCode.IDEMPOTENCY_KEY_REUSED,
      'This Idempotency-Key was used for another request',
      {
        key: claim.key,
      },
    );
  }
  return { result: row.response, replayed: true };
}

/** Deletes records older than `olderThanHours` (at least 24, as SPEC §3 keeps them). */
export async function purgeIdempotencyKeys(pool: Pool, olderThanHours = 48): Promise<number> {
  const hours = Math.max(24, olderThanHours);
  const result = await pool.query(
    `DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`,
    [hours],
  );
  return result.rowCount ?? 0;
}
