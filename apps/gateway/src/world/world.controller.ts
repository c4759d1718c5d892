import { Controller, Get, Param } from '@nestjs/common';
import { ApiParam, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { BusClient } from '@trustno1/bus';
import {
  chunkPathParams,
  WorldSubjects,
  type ChunkRequest,
  type ChunkView,
  type Principal,
  type StructureCatalogEntryView,
  type VehicleCatalogEntryView,
} from '@trustno1/contracts';
import { Access } from '../auth/access';
import { CurrentPrincipal } from '../auth/request-params';
import { ZodPipe } from '../validation/zod.pipe';

const DENIED = [
  { status: 401, description: 'UNAUTHENTICATED: no server key' },
  { status: 403, description: 'FORBIDDEN: not a game server' },
] as const;

/** What game servers build with: structure types and vehicle templates. */
@ApiTags('world')
@ApiSecurity('server')
@Controller('v1/catalog')
export class CatalogController {
  constructor(private readonly bus: BusClient) {}

  @Get('structures')
  @Access('server')
  @ApiResponse({
    status: 200,
    description:
      '`[{id, tier, maxHealth, decayPerHour, upkeep: [{itemTemplateId, amount}]}]`, upkeep per 24 h',
  })
  @ApiResponse(DENIED[0])
  @ApiResponse(DENIED[1])
  structures(@CurrentPrincipal() principal: Principal): Promise<StructureCatalogEntryView[]> {
    return this.bus.request(WorldSubjects.structureCatalog, {}, { principal });
  }

  @Get('vehicles')
  @Access('server')
  @ApiResponse({
    status: 200,
    description: '`[{id, fuelMax, maxHealth, inventory: {gridWidth, gridHeight}}]`',
  })
  @ApiResponse(DENIED[0])
  @ApiResponse(DENIED[1])
  vehicles(@CurrentPrincipal() principal: Principal): Promise<VehicleCatalogEntryView[]> {
    return this.bus.request(WorldSubjects.vehicleCatalog, {}, { principal });
  }
}

/** Chunks of 128 × 128 world units, generated from the world seed on first load. */
@ApiTags('world')
@ApiSecurity('server')
@Controller('v1/chunks')
export class ChunksController {
  constructor(private readonly bus: BusClient) {}

  @Get(':x/:z')
  @Access('server')
  @ApiParam({ name: 'x', type: 'integer', description: 'chunk x, within ±1,000,000' })
  @ApiParam({ name: 'z', type: 'integer', description: 'chunk z, within ±1,000,000' })
  @ApiResponse({
    status: 200,
    description:
      '`{x, z, biomeType, terrain: {size, heights}, resourceNodes, structures, vehicles}`; heights is ' +
      'base64 of size² float32 LE heights in world units, row-major by z then x (docs/world.md)',
  })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED: x or z is not an integer within ±1e6' })
  @ApiResponse(DENIED[0])
  @ApiResponse(DENIED[1])
  load(
    @Param(new ZodPipe(chunkPathParams)) params: ChunkRequest,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ChunkView> {
    return this.bus.request(WorldSubjects.loadChunk, params, { principal });
  }
}
