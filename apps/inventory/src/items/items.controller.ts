import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Meta, type RequestMeta } from '@trustno1/bus';
import {
  addItemRequest,
  destroyItemRequest,
  InventorySubjects,
  itemIdRequest,
  moveItemRequest,
  parsePayload,
  type ItemView,
  type LedgerEntryView,
  type MoveItemView,
} from '@trustno1/contracts';
import { idempotencyClaim } from '@trustno1/db';
import { requireServer } from '../common/principals';
import { ItemsService } from './items.service';

@Controller()
export class ItemsController {
  constructor(private readonly items: ItemsService) {}

  @MessagePattern(InventorySubjects.addItem)
  add(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<ItemView> {
    const request = parsePayload(addItemRequest, payload);
    const server = requireServer(meta.principal);
    return this.items.add(server, request, idempotencyClaim(InventorySubjects.addItem, payload, meta));
  }

  @MessagePattern(InventorySubjects.moveItem)
  move(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<MoveItemView> {
    const request = parsePayload(moveItemRequest, payload);
    const server = requireServer(meta.principal);
    return this.items.move(server, request, idempotencyClaim(InventorySubjects.moveItem, payload, meta));
  }

  @MessagePattern(InventorySubjects.destroyItem)
  async destroy(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<null> {
    const request = parsePayload(destroyItemRequest, payload);
    const server = requireServer(meta.principal);
    await this.items.destroy(server, request, idempotencyClaim(InventorySubjects.destroyItem, payload, meta));
    return null;
  }

  @MessagePattern(InventorySubjects.itemHistory)
  history(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<LedgerEntryView[]> {
    const { itemId } = parsePayload(itemIdRequest, payload);
    return this.items.history(requireServer(meta.principal), itemId);
  }
}
