import { AppError, ErrorCode, principalKey, type Principal } from '@trustno1/contracts';
import type { RequestMeta } from '@trustno1/bus';
import { requestHash, type IdempotencyClaim } from '@trustno1/db';

/** The decay subjects are internal: the worker calls them as the admin principal. */
export function requireInternal(principal: Principal): void {
  if (principal.kind === 'admin') return;
  if (principal.kind === 'anonymous') throw new AppError(ErrorCode.UNAUTHENTICATED, 'Credentials required');
  throw new AppError(ErrorCode.FORBIDDEN, 'Internal subject');
}

/** The idempotency claim of a request, built as every service builds it. */
export function claimOf(subject: string, payload: unknown, meta: RequestMeta): IdempotencyClaim | undefined {
  return meta.idempotencyKey
    ? {
        principal: principalKey(meta.principal),
        key: meta.idempotencyKey,
        requestHash: requestHash(subject, payload),
      }
    : undefined;
}

/** Who did it, kept in the ledger's reference column when storage moves. */
export function referenceOf(principal: Principal): string {
  return principalKey(principal).slice(0, 255);
}
