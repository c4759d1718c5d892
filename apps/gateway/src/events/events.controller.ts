import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiParam, ApiQuery, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { BusClient } from '@trustno1/bus';
import {
  completeEventBody,
  joinEventBody,
  listEventsQuery,
  WorldEventSubjects,
  type JoinEventView,
  type Principal,
  type WorldEventView,
} from '@trustno1/contracts';
import { Access } from '../auth/access';
import { CurrentPrincipal, IdempotencyKey } from '../auth/request-params';
import { uuidParam, ZodPipe } from '../validation/zod.pipe';

const VIEW =
  '`{id, eventType, name, description, location, chunkX, chunkZ, participants, rewards, maxParticipants, ' +
  'startedAt, endsAt, completed, winnerId, outcome}`';

/** World events (SPEC §7 "World"): spawned by the event_spawn queue, joined and won through game servers. */
@ApiTags('world')
@ApiSecurity('server')
@Controller('v1/events')
export class EventsController {
  constructor(private readonly bus: BusClient) {}

  @Get()
  @Access('server')
  @ApiQuery({
    name: 'active',
    required: false,
    enum: ['true', 'false'],
    description: 'true: running (not completed, not past its end); false: the others; absent: all',
  })
  @ApiResponse({ status: 200, description: `[${VIEW}], newest first, at most 500` })
  list(
    @Query(new ZodPipe(listEventsQuery)) query: z.infer<typeof listEventsQuery>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WorldEventView[]> {
    const active = query.active === undefined ? undefined : query.active === 'true';
    return this.bus.request(WorldEventSubjects.list, { active }, { principal });
  }

  @Post(':id/join')
  @HttpCode(200)
  @Access('server')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({ schema: z.toJSONSchema(joinEventBody) as object })
  @ApiResponse({
    status: 200,
    description: `{joined, event: ${VIEW}}; joined false when already a participant`,
  })
  @ApiResponse({ status: 404, description: 'NOT_FOUND: event or player' })
  @ApiResponse({ status: 409, description: 'CONFLICT, reason EVENT_ENDED' })
  @ApiResponse({ status: 422, description: 'LIMIT_REACHED: maxParticipants' })
  join(
    @Param('id', uuidParam('id')) eventId: string,
    @Body(new ZodPipe(joinEventBody)) body: z.infer<typeof joinEventBody>,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<JoinEventView> {
    return this.bus.request(WorldEventSubjects.join, { ...body, eventId }, { principal, idempotencyKey });
  }

  @Post(':id/complete')
  @HttpCode(200)
  @Access('server')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({ schema: z.toJSONSchema(completeEventBody) as object })
  @ApiResponse({ status: 200, description: `${VIEW}, completed with the winner and the rolled rewards` })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED: winnerId is not a participant' })
  @ApiResponse({ status: 404, description: 'NOT_FOUND' })
  @ApiResponse({ status: 409, description: 'CONFLICT, reason EVENT_COMPLETED' })
  complete(
    @Param('id', uuidParam('id')) eventId: string,
    @Body(new ZodPipe(completeEventBody)) body: z.infer<typeof completeEventBody>,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<WorldEventView> {
    return this.bus.request(WorldEventSubjects.complete, { ...body, eventId }, { principal, idempotencyKey });
  }
}
