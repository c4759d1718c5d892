import { AppError, ErrorCode, principalKey, type Principal } from '@trustno1/contracts';
import { requestHash, type IdempotencyClaim } from '@trustno1/db';
import type { RequestMeta } from '@trustno1/bus';

/** Subjects only operators and the worker call (schedules, territory definitions). */
export function requireAdmin(principal: Principal): void {
  if (principal.kind === 'admin') return;
  if (principal.kind === 'anonymous') throw new AppError(ErrorCode.UNAUTHENTICATED, 'Credentials required');
  throw new AppError(ErrorCode.FORBIDDEN, 'Only operators may do this');
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
