import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiParam, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { BusClient } from '@trustno1/bus';
import { createCorpseBody, InventorySubjects, type CorpseView, type Principal } from '@trustno1/contracts';
import { Access } from '../auth/access';
import { CurrentPrincipal, IdempotencyKey } from '../auth/request-params';
import { uuidParam, ZodPipe } from '../validation/zod.pipe';

/** A death outside combat: the character's items move to a new corpse (SPEC §4 "Death"). */
@ApiTags('inventory')
@ApiSecurity('server')
@Controller('v1/players')
export class CorpsesController {
  constructor(private readonly bus: BusClient) {}

  @Post(':id/corpse')
  @HttpCode(201)
  @Access('server')
  @ApiParam({ name: 'id', format: 'uuid', description: 'The character that died' })
  @ApiBody({ schema: z.toJSONSchema(createCorpseBody) as object })
  @ApiResponse({
    status: 201,
    description:
      '`{inventoryId, playerId, position, chunkX, chunkZ, expiresAt, items}`: the corpse inventory',
  })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED naming the field' })
  @ApiResponse({ status: 403, description: 'FORBIDDEN: the character is not joined to this server' })
  @ApiResponse({ status: 404, description: 'NOT_FOUND' })
  @ApiResponse({ status: 409, description: 'IDEMPOTENCY_KEY_REUSED' })
  create(
    @Param('id', uuidParam('id')) playerId: string,
    @Body(new ZodPipe(createCorpseBody)) body: z.infer<typeof createCorpseBody>,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<CorpseView> {
    return this.bus.request(
      InventorySubjects.createCorpse,
      { ...body, playerId },
      { principal, idempotencyKey },
    );
  }
}
