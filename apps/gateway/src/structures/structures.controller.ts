import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiParam, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { BusClient } from '@trustno1/bus';
import {
  cupboardPlayerBody,
  damageStructureBody,
  placeStructureBody,
  repairStructureBody,
  StructureSubjects,
  upkeepBody,
  type DamageView,
  type Principal,
  type StructureView,
  type UpkeepView,
} from '@trustno1/contracts';
import { Access } from '../auth/access';
import { CurrentPrincipal, IdempotencyKey } from '../auth/request-params';
import { uuidParam, ZodPipe } from '../validation/zod.pipe';

const STRUCTURE =
  '`{id, chunkX, chunkZ, structureType, position, rotation, ownerId, factionId, health, maxHealth, ' +
  'buildData, permissions, upkeepPaidUntil, decayProtection, decayPerHour, createdAt, lastDamaged, ' +
  'storage: {inventoryId, authorizedPlayers, tcRange} | null}`';

/** Player bases (SPEC §4, §7 "World"): placement under the build rule and a structure's life. */
@ApiTags('world')
@ApiSecurity('server')
@Controller('v1/structures')
export class StructuresController {
  constructor(private readonly bus: BusClient) {}

  @Post()
  @HttpCode(201)
  @Access('server')
  @ApiBody({ schema: z.toJSONSchema(placeStructureBody, { io: 'input' }) as object })
  @ApiResponse({ status: 201, description: `The structure: ${STRUCTURE}` })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED naming the field (unknown structureType too)' })
  @ApiResponse({ status: 403, description: 'FORBIDDEN: the owner is not joined to this server' })
  @ApiResponse({ status: 404, description: 'NOT_FOUND: the owner' })
  @ApiResponse({
    status: 422,
    description:
      'BUILD_BLOCKED (details.reason TOOL_CUPBOARD or TERRITORY); LIMIT_REACHED (structures per chunk)',
  })
  place(
    @Body(new ZodPipe(placeStructureBody)) body: z.infer<typeof placeStructureBody>,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<StructureView> {
    return this.bus.request(StructureSubjects.place, body, { principal, idempotencyKey });
  }

  @Get(':id')
  @Access('server')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, description: STRUCTURE })
  @ApiResponse({ status: 404, description: 'NOT_FOUND' })
  get(
    @Param('id', uuidParam('id')) structureId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StructureView> {
    return this.bus.request(StructureSubjects.get, { structureId }, { principal });
  }

  @Post(':id/damage')
  @HttpCode(200)
  @Access('server')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({ schema: z.toJSONSchema(damageStructureBody) as object })
  @ApiResponse({
    status: 200,
    description:
      '`{health, destroyed, containerInventoryId}`: at 0 the structure is destroyed and its storage ' +
      'items are in the container (docs/world.md)',
  })
  @ApiResponse({ status: 404, description: 'NOT_FOUND' })
  damage(
    @Param('id', uuidParam('id')) structureId: string,
    @Body(new ZodPipe(damageStructureBody)) body: z.infer<typeof damageStructureBody>,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<DamageView> {
    return this.bus.request(
      StructureSubjects.damage,
      { ...body, structureId },
      { principal, idempotencyKey },
    );
  }

  @Post(':id/repair')
  @HttpCode(200)
  @Access('server')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({ schema: z.toJSONSchema(repairStructureBody) as object })
  @ApiResponse({ status: 200, description: 'The structure, health at most maxHealth' })
  @ApiResponse({ status: 404, description: 'NOT_FOUND' })
  repair(
    @Param('id', uuidParam('id')) structureId: string,
    @Body(new ZodPipe(repairStructureBody)) body: z.infer<typeof repairStructureBody>,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<StructureView> {
    return this.bus.request(
      StructureSubjects.repair,
      { ...body, structureId },
      { principal, idempotencyKey },
    );
  }

  @Post(':id/upkeep')
  @HttpCode(200)
  @Access('server')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({ schema: z.toJSONSchema(upkeepBody) as object })
  @ApiResponse({
    status: 200,
    description:
      'The structure and `covered`: at a tool cupboard the whole base in its range is paid. paidUntil ' +
      'must be in the future and at most 30 days ahead',
  })
  @ApiResponse({ status: 404, description: 'NOT_FOUND' })
  upkeep(
    @Param('id', uuidParam('id')) structureId: string,
    @Body(new ZodPipe(upkeepBody)) body: z.infer<typeof upkeepBody>,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<UpkeepView> {
    return this.bus.request(
      StructureSubjects.upkeep,
      { ...body, structureId },
      { principal, idempotencyKey },
    );
  }

  @Post(':id/authorize')
  @HttpCode(200)
  @Access('server')
  @ApiParam({ name: 'id', format: 'uuid', description: 'A tool cupboard' })
  @ApiBody({ schema: z.toJSONSchema(cupboardPlayerBody) as object })
  @ApiResponse({ status: 200, description: 'The cupboard; the player is on authorizedPlayers once' })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED: not a tool cupboard' })
  @ApiResponse({ status: 404, description: 'NOT_FOUND: cupboard or player' })
  authorize(
    @Param('id', uuidParam('id')) structureId: string,
    @Body(new ZodPipe(cupboardPlayerBody)) body: z.infer<typeof cupboardPlayerBody>,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<StructureView> {
    return this.bus.request(
      StructureSubjects.authorize,
      { ...body, structureId },
      { principal, idempotencyKey },
    );
  }

  @Post(':id/deauthorize')
  @HttpCode(200)
  @Access('server')
  @ApiParam({ name: 'id', format: 'uuid', description: 'A tool cupboard' })
  @ApiBody({ schema: z.toJSONSchema(cupboardPlayerBody) as object })
  @ApiResponse({ status: 200, description: 'The cupboard; the player is off authorizedPlayers' })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED: not a tool cupboard' })
  @ApiResponse({ status: 404, description: 'NOT_FOUND: cupboard or player' })
  deauthorize(
    @Param('id', uuidParam('id')) structureId: string,
    @Body(new ZodPipe(cupboardPlayerBody)) body: z.infer<typeof cupboardPlayerBody>,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<StructureView> {
    return this.bus.request(
      StructureSubjects.deauthorize,
      { ...body, structureId },
      { principal, idempotencyKey },
    );
  }
}
