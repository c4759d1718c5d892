import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Meta, type RequestMeta } from '@trustno1/bus';
import {
  AccountsSubjects,
  AppError,
  authenticateServerRequest,
  ErrorCode,
  listServersQuery,
  parsePayload,
  registerServerBody,
  revokeServerRequest,
  serverStatusBody,
  type AuthenticatedServer,
  type LiveServerView,
  type Principal,
  type RegisteredServerView,
} from '@trustno1/contracts';
import { idempotencyClaim } from '@trustno1/db';
import { ServersService } from './servers.service';

function requireKind<K extends Principal['kind']>(
  principal: Principal,
  kind: K,
): Extract<Principal, { kind: K }> {
  if (principal.kind === kind) return principal as Extract<Principal, { kind: K }>;
  if (principal.kind === 'anonymous') throw new AppError(ErrorCode.UNAUTHENTICATED, 'Credentials required');
  throw new AppError(ErrorCode.FORBIDDEN, `Not open to a ${principal.kind}`);
}

@Controller()
export class ServersController {
  constructor(private readonly servers: ServersService) {}

  /** Used by the gateway on every server request. */
  @MessagePattern(AccountsSubjects.authenticateServer)
  authenticate(@Payload() payload: unknown): Promise<AuthenticatedServer> {
    return this.servers.authenticate(parsePayload(authenticateServerRequest, payload).apiKey);
  }

  @MessagePattern(AccountsSubjects.registerServer)
  register(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<RegisteredServerView> {
    const body = parsePayload(registerServerBody, payload);
    requireKind(meta.principal, 'admin');
    const claim = idempotencyClaim(AccountsSubjects.registerServer, payload, meta);
    return this.servers.register(body, claim);
  }

  @MessagePattern(AccountsSubjects.revokeServer)
  async revoke(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<void> {
    const { id } = parsePayload(revokeServerRequest, payload);
    requireKind(meta.principal, 'admin');
    await this.servers.revoke(id);
  }

  /** The server is the principal: it can only ever report its own status. */
  @MessagePattern(AccountsSubjects.heartbeat)
  async heartbeat(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<void> {
    const status = parsePayload(serverStatusBody, payload);
    const server = requireKind(meta.principal, 'server');
    await this.servers.heartbeat(server.serverId, status);
  }

  @MessagePattern(AccountsSubjects.listServers)
  list(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<LiveServerView[]> {
    const { region } = parsePayload(listServersQuery, payload);
    requireKind(meta.principal, 'player');
    return this.servers.listLive(region);
  }
}
