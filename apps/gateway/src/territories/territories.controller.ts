import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiParam, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { BusClient } from '@trustno1/bus';
import {
  captureTerritoryBody,
  createTerritoryBody,
  TerritorySubjects,
  type CaptureResultView,
  type Principal,
  type TerritoryView,
} from '@trustno1/contracts';
import { Access } from '../auth/access';
import { CurrentPrincipal, IdempotencyKey } from '../auth/request-params';
import { uuidParam, ZodPipe } from '../validation/zod.pipe';

const VIEW =
  '`{id, name, centerX, centerZ, radius, ownerFactionId, capturedAt, capturePoints, maxCapturePoints, ' +
  'capturingFactionId, resourcesGenerated, underAttack, lastAttacked, buildingAllowed}`';

/** Territories (SPEC §7 "World"): operators define them, game servers report captures. */
@ApiTags('world')
@ApiSecurity('server')
@Controller('v1/territories')
export class TerritoriesController {
  constructor(private readonly bus: BusClient) {}

  @Get()
  @Access('server', 'admin')
  @ApiSecurity('admin')
  @ApiResponse({ status: 200, description: `[${VIEW}] by name` })
  list(@CurrentPrincipal() principal: Principal): Promise<TerritoryView[]> {
    return this.bus.request(TerritorySubjects.list, {}, { principal });
  }

  @Post()
  @HttpCode(201)
  @Access('admin')
  @ApiSecurity('admin')
  @ApiBody({ schema: z.toJSONSchema(createTerritoryBody) as object })
  @ApiResponse({ status: 201, description: `${VIEW}, unowned` })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED naming the field' })
  create(
    @Body(new ZodPipe(createTerritoryBody)) body: z.infer<typeof createTerritoryBody>,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<TerritoryView> {
    return this.bus.request(TerritorySubjects.create, body, { principal, idempotencyKey });
  }

  @Post(':id/capture')
  @HttpCode(200)
  @Access('server')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({ schema: z.toJSONSchema(captureTerritoryBody) as object })
  @ApiResponse({
    status: 200,
    description:
      `${VIEW} plus captured and previousOwnerFactionId: the owner's points defend, another faction's ` +
      'points undo a rival attacker first, then add to its own progress; at maxCapturePoints it owns it',
  })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED naming the field' })
  @ApiResponse({ status: 404, description: 'NOT_FOUND: territory or faction' })
  capture(
    @Param('id', uuidParam('id')) territoryId: string,
    @Body(new ZodPipe(captureTerritoryBody)) body: z.infer<typeof captureTerritoryBody>,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<CaptureResultView> {
    return this.bus.request(
      TerritorySubjects.capture,
      { ...body, territoryId },
      { principal, idempotencyKey },
    );
  }
}
