import { AppError, ErrorCode, principalKey, type Principal } from '@trustno1/contracts';

/**
 * World routes are for game servers (SPEC §7 "World"): they are authoritative for the simulation,
 * players only see the world through them. Returns the server's id.
 */
export function requireServer(principal: Principal): string {
  if (principal.kind === 'server') return principal.serverId;
  if (principal.kind === 'anonymous') throw new AppError(ErrorCode.UNAUTHENTICATED, 'Credentials required');
  throw new AppError(ErrorCode.FORBIDDEN, 'Only game servers may call the world service');
}

/** Subjects only operators and the worker (as the admin principal) call: schedules, territory definitions. */
export function requireAdmin(principal: Principal): void {
  if (principal.kind === 'admin') return;
  if (principal.kind === 'anonymous') throw new AppError(ErrorCode.UNAUTHENTICATED, 'Credentials required');
  throw new AppError(ErrorCode.FORBIDDEN, 'Only operators may do this');
}

/** Who did it, kept in the item ledger's reference column when storage items move. */
export function referenceOf(principal: Principal): string {
  return principalKey(principal).slice(0, 255);
}
