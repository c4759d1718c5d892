import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiParam, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { BusClient } from '@trustno1/bus';
import {
  addItemBody,
  createInventoryBody,
  InventorySubjects,
  lockInventoryBody,
  type CatalogItemView,
  type InventorySummaryView,
  type InventoryView,
  type ItemView,
  type Principal,
} from '@trustno1/contracts';
import { Access } from '../auth/access';
import { CurrentPrincipal, IdempotencyKey } from '../auth/request-params';
import { uuidParam, ZodPipe } from '../validation/zod.pipe';

/** The item catalog and grid inventories (SPEC §7 "Inventory"); the inventory service decides. */
@ApiTags('inventory')
@ApiSecurity('server')
@Controller('v1')
export class InventoriesController {
  constructor(private readonly bus: BusClient) {}

  @Get('catalog/items')
  @Access('server', 'player')
  @ApiBearerAuth('player')
  @ApiResponse({
    status: 200,
    description: '`[{id, name, category, width, height, maxStack, weight, maxDurability, stackable}]`',
  })
  catalog(@CurrentPrincipal() principal: Principal): Promise<CatalogItemView[]> {
    return this.bus.request(InventorySubjects.listCatalog, {}, { principal });
  }

  @Post('inventories')
  @HttpCode(201)
  @Access('server')
  @ApiBody({ schema: z.toJSONSchema(createInventoryBody) as object })
  @ApiResponse({ status: 201, description: 'The inventory (empty, unlocked)' })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED naming the field' })
  @ApiResponse({ status: 403, description: 'FORBIDDEN: a player inventory of a character not joined here' })
  @ApiResponse({ status: 409, description: 'IDEMPOTENCY_KEY_REUSED' })
  create(
    @Body(new ZodPipe(createInventoryBody)) body: z.infer<typeof createInventoryBody>,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<InventorySummaryView> {
    return this.bus.request(InventorySubjects.createInventory, body, { principal, idempotencyKey });
  }

  @Get('inventories/:id')
  @Access('server', 'player')
  @ApiBearerAuth('player')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({
    status: 200,
    description: '`{id, ownerId, ownerType, gridWidth, gridHeight, maxWeight, locked, weight, items}`',
  })
  @ApiResponse({
    status: 403,
    description: "FORBIDDEN: not this server's player or world container, not the player's own",
  })
  @ApiResponse({ status: 404, description: 'NOT_FOUND' })
  get(
    @Param('id', uuidParam('id')) inventoryId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<InventoryView> {
    return this.bus.request(InventorySubjects.getInventory, { inventoryId }, { principal });
  }

  @Get('players/:id/inventory')
  @Access('server', 'player')
  @ApiBearerAuth('player')
  @ApiParam({ name: 'id', format: 'uuid', description: 'The character' })
  @ApiResponse({
    status: 200,
    description: "The character's own inventory, same shape as GET /v1/inventories/{id}",
  })
  @ApiResponse({ status: 403, description: 'FORBIDDEN' })
  @ApiResponse({ status: 404, description: 'NOT_FOUND' })
  getForPlayer(
    @Param('id', uuidParam('id')) playerId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<InventoryView> {
    return this.bus.request(InventorySubjects.getPlayerInventory, { playerId }, { principal });
  }

  @Post('inventories/:id/items')
  @HttpCode(201)
  @Access('server')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({ schema: z.toJSONSchema(addItemBody) as object })
  @ApiResponse({ status: 201, description: 'The item (at the first free place when no position is given)' })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED (quantity above max stack, bad durability…)' })
  @ApiResponse({ status: 404, description: 'NOT_FOUND: inventory or template' })
  @ApiResponse({ status: 409, description: 'SLOT_OCCUPIED; IDEMPOTENCY_KEY_REUSED' })
  @ApiResponse({ status: 422, description: 'OUT_OF_BOUNDS, OVER_WEIGHT' })
  addItem(
    @Param('id', uuidParam('id')) inventoryId: string,
    @Body(new ZodPipe(addItemBody)) body: z.infer<typeof addItemBody>,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<ItemView> {
    return this.bus.request(
      InventorySubjects.addItem,
      { ...body, inventoryId },
      { principal, idempotencyKey },
    );
  }

  @Put('inventories/:id/lock')
  @HttpCode(204)
  @Access('server')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({ schema: z.toJSONSchema(lockInventoryBody, { io: 'input' }) as object })
  @ApiResponse({ status: 204, description: 'Locked with the code, or unlocked (the code is cleared)' })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED: lockCode is required when locking' })
  @ApiResponse({ status: 403, description: 'FORBIDDEN' })
  @ApiResponse({ status: 404, description: 'NOT_FOUND' })
  async lock(
    @Param('id', uuidParam('id')) inventoryId: string,
    @Body(new ZodPipe(lockInventoryBody)) body: z.infer<typeof lockInventoryBody>,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<void> {
    await this.bus.request(
      InventorySubjects.lockInventory,
      { ...body, inventoryId },
      { principal, idempotencyKey },
    );
  }
}
