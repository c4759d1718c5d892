import { Controller } from '@nestjs/common';
import { Handle } from '@trustno1/bus';
import { InventoryOps, type RequestOf } from '@trustno1/contracts';
import { LootService } from './loot.service';

const { fillLoot } = InventoryOps;

@Controller()
export class LootController {
  constructor(private readonly loot: LootService) {}

  /** Internal: the worker's loot_generation processor. */
  @Handle(fillLoot)
  fill(request: RequestOf<typeof fillLoot>) {
    return this.loot.fill(request, 'loot_generation');
  }
}
