import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Meta, type RequestMeta } from '@trustno1/bus';
import {
  createInventoryBody,
  inventoryIdRequest,
  InventorySubjects,
  lockInventoryRequest,
  parsePayload,
  playerInventoryRequest,
  type InventorySummaryView,
  type InventoryView,
} from '@trustno1/contracts';
import { idempotencyClaim } from '@trustno1/db';
import { requireServer, requireServerOrPlayer } from '../common/principals';
import { InventoriesService } from './inventories.service';

@Controller()
export class InventoriesController {
  constructor(private readonly inventories: InventoriesService) {}

  @MessagePattern(InventorySubjects.createInventory)
  create(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<InventorySummaryView> {
    const body = parsePayload(createInventoryBody, payload);
    const server = requireServer(meta.principal);
    return this.inventories.create(
      server,
      body,
      idempotencyClaim(InventorySubjects.createInventory, payload, meta),
    );
  }

  @MessagePattern(InventorySubjects.getInventory)
  get(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<InventoryView> {
    const { inventoryId } = parsePayload(inventoryIdRequest, payload);
    return this.inventories.get(requireServerOrPlayer(meta.principal), inventoryId);
  }

  @MessagePattern(InventorySubjects.getPlayerInventory)
  getForPlayer(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<InventoryView> {
    const { playerId } = parsePayload(playerInventoryRequest, payload);
    return this.inventories.getForPlayer(requireServerOrPlayer(meta.principal), playerId);
  }

  @MessagePattern(InventorySubjects.lockInventory)
  async lock(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<null> {
    const request = parsePayload(lockInventoryRequest, payload);
    const server = requireServer(meta.principal);
    await this.inventories.setLock(
      server,
      request,
      idempotencyClaim(InventorySubjects.lockInventory, payload, meta),
    );
    return null;
  }
}
