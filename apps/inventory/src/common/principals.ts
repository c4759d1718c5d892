import { AppError, ErrorCode, principalKey, type Principal } from '@trustno1/contracts';
import { requestHash, type IdempotencyClaim } from '@trustno1/db';
import type { RequestMeta } from '@trustno1/bus';

/** Writers of items are game servers only: players never move, add or destroy items. */
export function requireServer(principal: Principal): Extract<Principal, { kind: 'server' }> {
  if (principal.kind === 'server') return principal;
  if (principal.kind === 'anonymous')
    throw new AppError(ErrorCode.UNAUTHENTICATED, 'A game server key is required');
  throw new AppError(ErrorCode.FORBIDDEN, 'Only a game server may do this');
}

/** Readers: a game server, or a player (whose ownership the service checks per inventory). */
export function requireServerOrPlayer(principal: Principal): Principal {
  if (principal.kind === 'server' || principal.kind === 'player') return principal;
  if (principal.kind === 'anonymous')
    throw new AppError(ErrorCode.UNAUTHENTICATED, 'Authentication required');
  throw new AppError(ErrorCode.FORBIDDEN, 'Only a game server or a player may do this');
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

/** Who did it, kept in the ledger's reference column for audits. */
export function referenceOf(principal: Principal): string {
  return principalKey(principal).slice(0, 255);
}
