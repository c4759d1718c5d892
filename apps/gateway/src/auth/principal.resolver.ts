import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { BusClient } from '@trustno1/bus';
import { AccountsOps, AppError, ErrorCode, type Principal } from '@trustno1/contracts';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Injection token of ADMIN_API_KEY; without it no request is admin. */
export const ADMIN_API_KEY = Symbol('ADMIN_API_KEY');

/** Turns the credentials of a request into a principal; bad credentials are 401, never anonymous. */
@Injectable()
export class PrincipalResolver implements OnApplicationBootstrap {
  private readonly adminKeyDigest: Buffer | undefined;

  constructor(
    private readonly bus: BusClient,
    @Optional() @Inject(ADMIN_API_KEY) adminKey?: string,
  ) {
    this.adminKeyDigest = adminKey ? digest(adminKey) : undefined;
  }

  onApplicationBootstrap(): void {
    if (!this.adminKeyDigest) {
      new Logger('auth').warn(
        'ADMIN_API_KEY is not set: admin routes (registering game servers, bans, catalog) answer 401',
      );
    }
  }

  async resolve(request: FastifyRequest): Promise<Principal> {
    const adminKey = header(request, 'x-admin-key');
    if (adminKey !== undefined) return this.admin(adminKey);
    const serverKey = header(request, 'x-server-key');
    if (serverKey !== undefined) return this.server(serverKey);
    const authorization = header(request, 'authorization');
    if (authorization !== undefined) return this.player(authorization);
    return { kind: 'anonymous' };
  }

  private admin(key: string): Principal {
    // Comparing digests keeps the comparison constant-time whatever the key's length.
    if (!this.adminKeyDigest) {
      throw new AppError(
        ErrorCode.UNAUTHENTICATED,
        'Admin routes are off: this gateway was started without ADMIN_API_KEY',
        { reason: 'ADMIN_KEY_NOT_CONFIGURED' },
      );
    }
    if (timingSafeEqual(digest(key), this.adminKeyDigest)) return { kind: 'admin' };
    throw new AppError(ErrorCode.UNAUTHENTICATED, 'Invalid admin key');
  }

  private async server(apiKey: string): Promise<Principal> {
    const server = await this.bus.call(AccountsOps.authenticateServer, { apiKey });
    return { kind: 'server', serverId: server.serverId, region: server.region };
  }

  private async player(authorization: string): Promise<Principal> {
    const session = await this.bus.call(AccountsOps.resolveSession, { token: bearerToken(authorization) });
    return { kind: 'player', accountId: session.accountId };
  }
}

/** The session token of an `Authorization: Bearer <token>` header; UNAUTHENTICATED otherwise. */
export function bearerToken(authorization: string | undefined): string {
  const match = /^Bearer ([A-Za-z0-9_-]{16,512})$/.exec(authorization ?? '');
  if (!match) throw new AppError(ErrorCode.UNAUTHENTICATED, 'Authorization must be "Bearer <session token>"');
  return match[1];
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
