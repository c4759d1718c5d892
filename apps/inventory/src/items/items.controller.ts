import { Controller } from '@nestjs/common';
import { Handle, type Call } from '@trustno1/bus';
import { InventoryOps, type RequestOf } from '@trustno1/contracts';
import { ItemsService } from './items.service';

const { addItem, moveItem, consumeItem, destroyItem, itemHistory } = InventoryOps;

@Controller()
export class ItemsController {
  constructor(private readonly items: ItemsService) {}

  @Handle(addItem)
  add(request: RequestOf<typeof addItem>, call: Call<typeof addItem>) {
    return this.items.add(call.principal, request, call.idempotency);
  }

  @Handle(moveItem)
  move(request: RequestOf<typeof moveItem>, call: Call<typeof moveItem>) {
    return this.items.move(call.principal, request, call.idempotency);
  }

  @Handle(consumeItem)
  consume(request: RequestOf<typeof consumeItem>, call: Call<typeof consumeItem>) {
    return this.items.consume(call.principal, request, call.idempotency);
  }

  @Handle(destroyItem)
  async destroy(request: RequestOf<typeof destroyItem>, call: Call<typeof destroyItem>) {
    await this.items.destroy(call.principal, request, call.idempotency);
    return null;
  }

  @Handle(itemHistory)
  history(request: RequestOf<typeof itemHistory>, call: Call<typeof itemHistory>) {
    return this.items.history(call.principal, request.itemId);
  }
}
