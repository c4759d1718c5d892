import { AppError, ErrorCode, type Principal } from '@trustno1/contracts';

/**
 * World routes are for game servers (SPEC §7 "World"): they are authoritative for the simulation,
 * players only see the world through them. Returns the server's id.
 */
export function requireServer(principal: Principal): string {
  if (principal.kind === 'server') return principal.serverId;
  if (principal.kind === 'anonymous') throw new AppError(ErrorCode.UNAUTHENTICATED, 'Credentials required');
  throw new AppError(ErrorCode.FORBIDDEN, 'Only game servers may call the world service');
}
