import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AppError, ErrorCode, type Principal } from '@trustno1/contracts';
import { ACCESS_METADATA, type PrincipalKind } from './access';
import { FailedAuthLimiter } from '../rate-limit/failed-auth.limiter';
import { PrincipalResolver } from './principal.resolver';

/** The request as the routes see it: with the principal the guard resolved. */
export interface AuthedRequest extends FastifyRequest {
  principal?: Principal;
}

/** Resolves the principal of every request and checks it against the route's `@Access`. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly resolver: PrincipalResolver,
    private readonly failedAuth: FailedAuthLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const allowed = this.reflector.getAllAndOverride<PrincipalKind[] | undefined>(ACCESS_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (allowed === undefined) {
      // Health, metrics and docs are public; an undecorated API route is a bug and stays shut.
      if (!request.url.startsWith('/v1/')) return true;
      throw new AppError(ErrorCode.FORBIDDEN, 'This route is not open to anyone');
    }
    // An address that failed to authenticate too often is stopped before its next guess is checked.
    if (carriesCredentials(request)) await this.failedAuth.check(request.ip);
    const principal = await this.resolver.resolve(request);
    request.principal = principal;
    if (allowed.includes(principal.kind)) return true;
    if (principal.kind === 'anonymous') throw new AppError(ErrorCode.UNAUTHENTICATED, 'Credentials required');
    throw new AppError(ErrorCode.FORBIDDEN, `This route is not open to a ${principal.kind}`);
  }
}

/** A request that presents a secret to check: a key, a token, or a login. */
export function carriesCredentials(request: FastifyRequest): boolean {
  const h = request.headers;
  if (h['x-server-key'] !== undefined || h['x-admin-key'] !== undefined || h.authorization !== undefined)
    return true;
  return request.method === 'POST' && request.routeOptions.url === '/v1/sessions';
}
