import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { BusClient } from '@trustno1/bus';
import {
  AccountsSubjects,
  matchmakingRegionParams,
  matchmakingTicketBody,
  type EnqueuedTicketView,
  type Principal,
  type TicketView,
} from '@trustno1/contracts';
import { Access } from '../auth/access';
import { CurrentPrincipal, IdempotencyKey } from '../auth/request-params';
import { uuidParam, ZodPipe } from '../validation/zod.pipe';

/** Players queue one of their characters for a server of a region (SPEC §7). */
@ApiTags('matchmaking')
@ApiBearerAuth('player')
@Controller('v1/matchmaking')
export class MatchmakingController {
  constructor(private readonly bus: BusClient) {}

  @Post(':region/tickets')
  @HttpCode(202)
  @Access('player')
  @ApiParam({ name: 'region', example: 'eu-west' })
  @ApiBody({ schema: z.toJSONSchema(matchmakingTicketBody) as object })
  @ApiResponse({
    status: 202,
    description: '`{ticketId}`: queued; poll GET /v1/matchmaking/tickets/{ticketId}',
  })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED' })
  @ApiResponse({ status: 403, description: 'FORBIDDEN: the character belongs to another account' })
  @ApiResponse({ status: 404, description: 'NOT_FOUND: no such character' })
  @ApiResponse({ status: 409, description: 'IDEMPOTENCY_KEY_REUSED' })
  enqueue(
    @Param(new ZodPipe(matchmakingRegionParams)) params: z.infer<typeof matchmakingRegionParams>,
    @Body(new ZodPipe(matchmakingTicketBody)) body: z.infer<typeof matchmakingTicketBody>,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<EnqueuedTicketView> {
    return this.bus.request(
      AccountsSubjects.enqueueTicket,
      { region: params.region, characterId: body.characterId },
      { principal, idempotencyKey },
    );
  }

  @Get('tickets/:ticketId')
  @Access('player')
  @ApiParam({ name: 'ticketId', format: 'uuid' })
  @ApiResponse({ status: 200, description: "`{ticketId, status: 'queued' | 'assigned', serverId?}`" })
  @ApiResponse({ status: 403, description: 'FORBIDDEN: another account’s ticket' })
  @ApiResponse({ status: 404, description: 'NOT_FOUND: unknown or expired ticket' })
  get(
    @Param('ticketId', uuidParam('ticketId')) ticketId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<TicketView> {
    return this.bus.request(AccountsSubjects.getTicket, { ticketId }, { principal });
  }
}
