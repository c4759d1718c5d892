import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBody, ApiParam, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { BusClient } from '@trustno1/bus';
import {
  AccountsSubjects,
  chunkPlayersParams,
  playerStatesBody,
  type ChunkPlayersView,
  type LeaveView,
  type PlayerStateView,
  type Principal,
} from '@trustno1/contracts';
import { Access } from '../auth/access';
import { CurrentPrincipal, IdempotencyKey } from '../auth/request-params';
import { uuidParam, ZodPipe } from '../validation/zod.pipe';

/** Game servers join and leave characters and stream their states (SPEC §7). */
@ApiTags('presence')
@ApiSecurity('server')
@Controller('v1')
export class PresenceController {
  constructor(private readonly bus: BusClient) {}

  @Post('players/:id/join')
  @HttpCode(200)
  @Access('server')
  @ApiParam({ name: 'id', format: 'uuid', description: 'The character' })
  @ApiResponse({
    status: 200,
    description: '`{playerId, serverId, position, rotation, chunkX, chunkZ, health}`',
  })
  @ApiResponse({ status: 404, description: 'NOT_FOUND: no such character' })
  @ApiResponse({ status: 409, description: 'ALREADY_ONLINE on another live server; IDEMPOTENCY_KEY_REUSED' })
  @ApiResponse({ status: 422, description: 'LIMIT_REACHED: the server has min(maxPlayers, 1000) players' })
  join(
    @Param('id', uuidParam('id')) playerId: string,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<PlayerStateView> {
    return this.bus.request(AccountsSubjects.join, { playerId }, { principal, idempotencyKey });
  }

  @Post('players/:id/leave')
  @HttpCode(200)
  @Access('server')
  @ApiParam({ name: 'id', format: 'uuid', description: 'The character' })
  @ApiResponse({
    status: 200,
    description:
      '`{}`, or `{lingerUntil}` when the player was in combat in the last 30 s: it stays in the world, killable, until then',
  })
  @ApiResponse({ status: 403, description: 'FORBIDDEN: the character is not joined to this server' })
  @ApiResponse({ status: 404, description: 'NOT_FOUND: no such character' })
  leave(
    @Param('id', uuidParam('id')) playerId: string,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<LeaveView> {
    return this.bus.request(AccountsSubjects.leave, { playerId }, { principal, idempotencyKey });
  }

  @Put('players/states')
  @HttpCode(204)
  @Access('server')
  @ApiBody({ schema: z.toJSONSchema(playerStatesBody) as object })
  @ApiResponse({
    status: 204,
    description: 'Up to 1,000 states written to Redis; chunk sets follow border crossings',
  })
  @ApiResponse({
    status: 400,
    description: 'VALIDATION_FAILED naming each field (e.g. states.3.position.x); duplicates',
  })
  @ApiResponse({
    status: 403,
    description: 'FORBIDDEN: details.playerIds are not joined to this server; nothing written',
  })
  async updateStates(
    @Body(new ZodPipe(playerStatesBody)) body: z.infer<typeof playerStatesBody>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    await this.bus.request(AccountsSubjects.updateStates, body, { principal });
  }

  @Get('chunks/:x/:z/players')
  @Access('server')
  @ApiParam({ name: 'x', type: 'integer', description: 'Chunk x = floor(world x / 128)' })
  @ApiParam({ name: 'z', type: 'integer', description: 'Chunk z = floor(world z / 128)' })
  @ApiResponse({ status: 200, description: "`{x, z, playerIds}`: this server's players in the chunk" })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED: x or z is not an integer' })
  chunkPlayers(
    @Param(new ZodPipe(chunkPlayersParams)) params: z.infer<typeof chunkPlayersParams>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ChunkPlayersView> {
    return this.bus.request(AccountsSubjects.chunkPlayers, params, { principal });
  }
}
