import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiParam, ApiQuery, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { BusClient } from '@trustno1/bus';
import {
  destroyItemQuery,
  InventorySubjects,
  moveItemBody,
  type LedgerEntryView,
  type MoveItemView,
  type Principal,
} from '@trustno1/contracts';
import { Access } from '../auth/access';
import { CurrentPrincipal, IdempotencyKey } from '../auth/request-params';
import { uuidParam, ZodPipe } from '../validation/zod.pipe';

/** Moving, destroying and auditing items: game servers only (players never move items). */
@ApiTags('inventory')
@ApiSecurity('server')
@Controller('v1/items')
export class ItemsController {
  constructor(private readonly bus: BusClient) {}

  @Post(':id/move')
  @HttpCode(200)
  @Access('server')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({ schema: z.toJSONSchema(moveItemBody) as object })
  @ApiResponse({
    status: 200,
    description:
      '`{operation, item, source}`: a partial quantity splits, a same-template stack at the target merges',
  })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED naming the field' })
  @ApiResponse({
    status: 403,
    description: "FORBIDDEN: not this server's joined player or a world container",
  })
  @ApiResponse({ status: 404, description: 'NOT_FOUND' })
  @ApiResponse({ status: 409, description: 'SLOT_OCCUPIED; IDEMPOTENCY_KEY_REUSED' })
  @ApiResponse({ status: 422, description: 'OUT_OF_BOUNDS, OVER_WEIGHT' })
  @ApiResponse({ status: 423, description: 'INVENTORY_LOCKED: no or wrong lockCode' })
  move(
    @Param('id', uuidParam('id')) itemId: string,
    @Body(new ZodPipe(moveItemBody)) body: z.infer<typeof moveItemBody>,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<MoveItemView> {
    return this.bus.request(InventorySubjects.moveItem, { ...body, itemId }, { principal, idempotencyKey });
  }

  @Delete(':id')
  @HttpCode(204)
  @Access('server')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({ name: 'quantity', required: false, description: 'Default: the whole stack' })
  @ApiQuery({ name: 'reason', required: false, description: 'Ledger reason, default `destroy`' })
  @ApiResponse({ status: 204, description: 'Destroyed (one ledger row)' })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED' })
  @ApiResponse({ status: 403, description: 'FORBIDDEN' })
  @ApiResponse({ status: 404, description: 'NOT_FOUND' })
  async destroy(
    @Param('id', uuidParam('id')) itemId: string,
    @Query(new ZodPipe(destroyItemQuery)) query: z.infer<typeof destroyItemQuery>,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<void> {
    await this.bus.request(
      InventorySubjects.destroyItem,
      { ...query, itemId },
      { principal, idempotencyKey },
    );
  }

  @Get(':id/history')
  @Access('server')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({
    status: 200,
    description: 'The ledger rows of the item and of its splits and merges, oldest first',
  })
  @ApiResponse({ status: 403, description: 'FORBIDDEN' })
  @ApiResponse({ status: 404, description: 'NOT_FOUND' })
  history(
    @Param('id', uuidParam('id')) itemId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<LedgerEntryView[]> {
    return this.bus.request(InventorySubjects.itemHistory, { itemId }, { principal });
  }
}
