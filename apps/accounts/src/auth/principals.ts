import { AppError, ErrorCode, type Principal } from '@trustno1/contracts';

/** The calling player's account id; services check again because game servers may call NATS directly. */
export function requirePlayer(principal: Principal): string {
  if (principal.kind === 'player') return principal.accountId;
  if (principal.kind === 'anonymous')
    throw new AppError(ErrorCode.UNAUTHENTICATED, 'A player session is required');
  throw new AppError(ErrorCode.FORBIDDEN, `This is not open to a ${principal.kind}`);
}

export function requireAdmin(principal: Principal): void {
  if (principal.kind === 'admin') return;
  if (principal.kind === 'anonymous')
    throw new AppError(ErrorCode.UNAUTHENTICATED, 'The admin key is required');
  throw new AppError(ErrorCode.FORBIDDEN, `This is not open to a ${principal.kind}`);
}
