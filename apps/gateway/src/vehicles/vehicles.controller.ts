import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBody, ApiParam, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { BusClient } from '@trustno1/bus';
import {
  spawnVehicleBody,
  updateVehicleBody,
  vehicleKeyBody,
  VehicleSubjects,
  type Principal,
  type VehicleView,
} from '@trustno1/contracts';
import { Access } from '../auth/access';
import { CurrentPrincipal, IdempotencyKey } from '../auth/request-params';
import { uuidParam, ZodPipe } from '../validation/zod.pipe';

const VIEW =
  '`{id, templateId, position, rotation, chunkX, chunkZ, ownerId, factionId, fuelCurrent, fuelMax, health, ' +
  'maxHealth, engineDamage, tireDamage, modifications, inventoryId, locked, lastUsed, createdAt}`';

/** Vehicles (SPEC §7 "World"): game servers spawn, drive and lock them; the world service decides. */
@ApiTags('world')
@ApiSecurity('server')
@Controller('v1/vehicles')
export class VehiclesController {
  constructor(private readonly bus: BusClient) {}

  @Post()
  @HttpCode(201)
  @Access('server')
  @ApiBody({ schema: z.toJSONSchema(spawnVehicleBody) as object })
  @ApiResponse({ status: 201, description: `${VIEW}: full tank and health, an empty vehicle inventory` })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED naming the field (templateId unknown too)' })
  @ApiResponse({ status: 404, description: 'NOT_FOUND: ownerId is no character' })
  spawn(
    @Body(new ZodPipe(spawnVehicleBody)) body: z.infer<typeof spawnVehicleBody>,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<VehicleView> {
    return this.bus.request(VehicleSubjects.spawn, body, { principal, idempotencyKey });
  }

  @Get(':id')
  @Access('server')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, description: VIEW })
  @ApiResponse({ status: 404, description: 'NOT_FOUND' })
  get(@Param('id', uuidParam('id')) vehicleId: string, @CurrentPrincipal() principal: Principal) {
    return this.bus.request<VehicleView>(VehicleSubjects.get, { vehicleId }, { principal });
  }

  @Patch(':id')
  @Access('server')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({ schema: z.toJSONSchema(updateVehicleBody, { io: 'input' }) as object })
  @ApiResponse({ status: 200, description: `${VIEW}; the chunk follows the position, lastUsed is now` })
  @ApiResponse({
    status: 400,
    description: 'VALIDATION_FAILED: fuelCurrent above fuelMax, health above maxHealth, wrong wheel count…',
  })
  @ApiResponse({ status: 404, description: 'NOT_FOUND' })
  update(
    @Param('id', uuidParam('id')) vehicleId: string,
    @Body(new ZodPipe(updateVehicleBody)) body: z.infer<typeof updateVehicleBody>,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<VehicleView> {
    return this.bus.request(VehicleSubjects.update, { ...body, vehicleId }, { principal, idempotencyKey });
  }

  @Post(':id/lock')
  @HttpCode(200)
  @Access('server')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({ schema: z.toJSONSchema(vehicleKeyBody) as object })
  @ApiResponse({ status: 200, description: `${VIEW}, locked with the key code` })
  @ApiResponse({ status: 403, description: 'FORBIDDEN, reason WRONG_KEY_CODE: locked with another code' })
  @ApiResponse({ status: 404, description: 'NOT_FOUND' })
  lock(
    @Param('id', uuidParam('id')) vehicleId: string,
    @Body(new ZodPipe(vehicleKeyBody)) body: z.infer<typeof vehicleKeyBody>,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<VehicleView> {
    return this.bus.request(VehicleSubjects.lock, { ...body, vehicleId }, { principal, idempotencyKey });
  }

  @Post(':id/unlock')
  @HttpCode(200)
  @Access('server')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({ schema: z.toJSONSchema(vehicleKeyBody) as object })
  @ApiResponse({ status: 200, description: `${VIEW}, unlocked (the key code is cleared)` })
  @ApiResponse({ status: 403, description: 'FORBIDDEN, reason WRONG_KEY_CODE' })
  @ApiResponse({ status: 404, description: 'NOT_FOUND' })
  unlock(
    @Param('id', uuidParam('id')) vehicleId: string,
    @Body(new ZodPipe(vehicleKeyBody)) body: z.infer<typeof vehicleKeyBody>,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<VehicleView> {
    return this.bus.request(VehicleSubjects.unlock, { ...body, vehicleId }, { principal, idempotencyKey });
  }
}
