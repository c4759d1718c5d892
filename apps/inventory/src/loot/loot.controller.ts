import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Meta, type RequestMeta } from '@trustno1/bus';
import {
  AppError,
  ErrorCode,
  fillLootRequest,
  InventorySubjects,
  parsePayload,
  type LootFillView,
} from '@trustno1/contracts';
import { LootService } from './loot.service';

@Controller()
export class LootController {
  constructor(private readonly loot: LootService) {}

  /** Internal: the worker's loot_generation processor. */
  @MessagePattern(InventorySubjects.fillLoot)
  fill(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<LootFillView> {
    if (meta.principal.kind !== 'admin') throw new AppError(ErrorCode.FORBIDDEN, 'Internal subject');
    const request = parsePayload(fillLootRequest, payload);
    return this.loot.fill(request, 'loot_generation');
  }
}
