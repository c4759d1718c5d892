import { Controller } from '@nestjs/common';
import { Handle, type Call } from '@trustno1/bus';
import { InventoryOps, type RequestOf } from '@trustno1/contracts';
import { CorpsesService } from './corpses.service';

const { createCorpse, cleanupCorpses } = InventoryOps;

@Controller()
export class CorpsesController {
  constructor(private readonly corpses: CorpsesService) {}

  @Handle(createCorpse)
  create(request: RequestOf<typeof createCorpse>, call: Call<typeof createCorpse>) {
    return this.corpses.create(call.principal, request, call.idempotency);
  }

  /** Internal: the corpses.cleanup schedule of the worker. */
  @Handle(cleanupCorpses)
  cleanup(request: RequestOf<typeof cleanupCorpses>) {
    return this.corpses.cleanup(new Date(request.now), request.limit);
  }
}
