import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { z } from 'zod';
import { BusClient } from '@trustno1/bus';
import {
  AccountsSubjects,
  listServersQuery,
  registerServerBody,
  serverStatusBody,
  type LiveServerView,
  type Principal,
  type RegisteredServerView,
  type RegisterServerBody,
  type ServerStatusBody,
} from '@trustno1/contracts';
import { Access } from '../auth/access';
import { CurrentPrincipal, IdempotencyKey } from '../auth/request-params';
import { uuidParam, ZodPipe } from '../validation/zod.pipe';

/** Operators register game servers and revoke their keys. */
@ApiTags('servers')
@ApiSecurity('admin')
@Controller('v1/admin/servers')
export class AdminServersController {
  constructor(private readonly bus: BusClient) {}

  @Post()
  @HttpCode(201)
  @Access('admin')
  @ApiBody({ schema: z.toJSONSchema(registerServerBody) as object })
  @ApiResponse({
    status: 201,
    description: '`{id, apiKey}`: the key is shown only here; store it in the game server',
  })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED' })
  @ApiResponse({ status: 409, description: 'IDEMPOTENCY_KEY_REUSED' })
  register(
    @Body(new ZodPipe(registerServerBody)) body: RegisterServerBody,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<RegisteredServerView> {
    return this.bus.request(AccountsSubjects.registerServer, body, { principal, idempotencyKey });
  }

  @Delete(':id')
  @HttpCode(204)
  @Access('admin')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 204, description: 'Revoked: the key stops working on its next request' })
  @ApiResponse({ status: 404, description: 'NOT_FOUND' })
  async revoke(
    @Param('id', uuidParam('id')) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    await this.bus.request(AccountsSubjects.revokeServer, { id }, { principal });
  }
}

/** Heartbeats of game servers and the listing players pick a server from. */
@ApiTags('servers')
@Controller('v1/servers')
export class ServersController {
  constructor(private readonly bus: BusClient) {}

  @Put('me/status')
  @HttpCode(204)
  @Access('server')
  @ApiSecurity('server')
  @ApiBody({ schema: z.toJSONSchema(serverStatusBody) as object })
  @ApiResponse({ status: 204, description: 'Status stored for 30 s; send it every ~10 s to stay listed' })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED' })
  @ApiResponse({ status: 422, description: 'LIMIT_REACHED: maxPlayers above the registered maximum' })
  async heartbeat(
    @Body(new ZodPipe(serverStatusBody)) body: ServerStatusBody,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    await this.bus.request(AccountsSubjects.heartbeat, body, { principal });
  }

  @Get()
  @Access('player')
  @ApiBearerAuth('player')
  @ApiQuery({ name: 'region', required: true, example: 'eu-west' })
  @ApiResponse({
    status: 200,
    description: '`[{id, name, region, players, maxPlayers, tickRate, version, load}]`, least loaded first',
  })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED' })
  list(
    @Query(new ZodPipe(listServersQuery)) query: z.infer<typeof listServersQuery>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<LiveServerView[]> {
    return this.bus.request(AccountsSubjects.listServers, query, { principal });
  }
}
