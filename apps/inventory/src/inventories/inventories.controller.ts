import { Controller } from '@nestjs/common';
import { Handle, type Call } from '@trustno1/bus';
import { InventoryOps, type RequestOf } from '@trustno1/contracts';
import { InventoriesService } from './inventories.service';

const { createInventory, getInventory, getPlayerInventory, lockInventory } = InventoryOps;

@Controller()
export class InventoriesController {
  constructor(private readonly inventories: InventoriesService) {}

  @Handle(createInventory)
  create(request: RequestOf<typeof createInventory>, call: Call<typeof createInventory>) {
    return this.inventories.create(call.principal, request, call.idempotency);
  }

  @Handle(getInventory)
  get(request: RequestOf<typeof getInventory>, call: Call<typeof getInventory>) {
    return this.inventories.get(call.principal, request.inventoryId);
  }

  @Handle(getPlayerInventory)
  getForPlayer(request: RequestOf<typeof getPlayerInventory>, call: Call<typeof getPlayerInventory>) {
    return this.inventories.getForPlayer(call.principal, request.playerId);
  }

  @Handle(lockInventory)
  async lock(request: RequestOf<typeof lockInventory>, call: Call<typeof lockInventory>) {
    await this.inventories.setLock(call.principal, request, call.idempotency);
    return null;
  }
}
