import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { Controller, Get, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError, type Principal } from '@trustno1/contracts';
import { Access } from './access';
import type { FailedAuthLimiter } from '../rate-limit/failed-auth.limiter';
import { AuthGuard, type AuthedRequest } from './auth.guard';
import type { PrincipalResolver } from './principal.resolver';

@Controller()
class Routes {
  @Get() @Access('player') playerOnly(): void {}
  @Get() @Access('server', 'admin') serverOrAdmin(): void {}
  @Get() @Access('anonymous', 'player') open(): void {}
  @Get() undecorated(): void {}
}

function context(handler: keyof Routes, url: string): { ctx: ExecutionContext; request: AuthedRequest } {
  const request = { url, headers: {} } as AuthedRequest;
  const ctx = {
    // The guard reads metadata off the handler function; it never calls it.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  return { ctx, request };
}

const guardFor = (principal: Principal) =>
  new AuthGuard(
    new Reflector(),
    { resolve: async () => principal } as unknown as PrincipalResolver,
    // The access rules alone: the failed-authentication limit has its own e2e spec.
    { check: async () => undefined } as unknown as FailedAuthLimiter,
  );

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'allowed',
    (e: unknown) => (e instanceof AppError ? e.code : 'other'),
  );

describe('AuthGuard', () => {
  const player: Principal = { kind: 'player', accountId: 'a' };
  const server: Principal = { kind: 'server', serverId: 's', region: 'eu' };
  const admin: Principal = { kind: 'admin' };
  const nobody: Principal = { kind: 'anonymous' };

  it('lets through exactly the kinds a route names', async () => {
    const table: Array<[keyof Routes, Principal, string]> = [
      ['playerOnly', player, 'allowed'],
      ['playerOnly', server, 'FORBIDDEN'],
      ['playerOnly', admin, 'FORBIDDEN'],
      ['playerOnly', nobody, 'UNAUTHENTICATED'],
      ['serverOrAdmin', server, 'allowed'],
      ['serverOrAdmin', admin, 'allowed'],
      ['serverOrAdmin', player, 'FORBIDDEN'],
      ['serverOrAdmin', nobody, 'UNAUTHENTICATED'],
      ['open', nobody, 'allowed'],
      ['open', player, 'allowed'],
      ['open', server, 'FORBIDDEN'],
    ];
    for (const [handler, principal, expected] of table) {
      const { ctx } = context(handler, '/v1/x');
      assert.equal(
        await code(guardFor(principal).canActivate(ctx)),
        expected,
        `${handler} as ${principal.kind}`,
      );
    }
  });

  it('keeps the resolved principal on the request for the route', async () => {
    const { ctx, request } = context('playerOnly', '/v1/x');
    await guardFor(player).canActivate(ctx);
    assert.deepEqual(request.principal, player);
  });

  it('shuts a /v1 route that forgot @Access, and leaves health and docs open', async () => {
    assert.equal(
      await code(guardFor(admin).canActivate(context('undecorated', '/v1/forgot').ctx)),
      'FORBIDDEN',
    );
    assert.equal(
      await code(guardFor(nobody).canActivate(context('undecorated', '/health/ready').ctx)),
      'allowed',
    );
  });
});
