import { AppError, ErrorCode, principalKey, type Principal } from '@trustno1/contracts';

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

/** Who did it, kept in the ledger's reference column for audits. */
export function referenceOf(principal: Principal): string {
  return principalKey(principal).slice(0, 255);
}
