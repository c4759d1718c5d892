import { Controller } from '@nestjs/common';
import { Handle, type Call } from '@trustno1/bus';
import { WorldOps, type RequestOf } from '@trustno1/contracts';
import { referenceOf } from './ledger-reference';
import { StructuresService } from './structures.service';

const {
  placeStructure,
  getStructure,
  damageStructure,
  repairStructure,
  payUpkeep,
  authorizeCupboard,
  deauthorizeCupboard,
} = WorldOps;

/** Structure operations for game servers; each handler is one call of the service. */
@Controller()
export class StructuresController {
  constructor(private readonly structures: StructuresService) {}

  @Handle(placeStructure)
  place(request: RequestOf<typeof placeStructure>, call: Call<typeof placeStructure>) {
    return this.structures.place(call.principal.serverId, request, call.idempotency);
  }

  @Handle(getStructure)
  get(request: RequestOf<typeof getStructure>) {
    return this.structures.get(request.structureId);
  }

  @Handle(damageStructure)
  damage(request: RequestOf<typeof damageStructure>, call: Call<typeof damageStructure>) {
    return this.structures.damage(request, referenceOf(call.principal), call.idempotency);
  }

  @Handle(repairStructure)
  repair(request: RequestOf<typeof repairStructure>, call: Call<typeof repairStructure>) {
    return this.structures.repair(request, call.idempotency);
  }

  @Handle(payUpkeep)
  upkeep(request: RequestOf<typeof payUpkeep>, call: Call<typeof payUpkeep>) {
    return this.structures.payUpkeep(request, call.idempotency);
  }

  @Handle(authorizeCupboard)
  authorize(request: RequestOf<typeof authorizeCupboard>, call: Call<typeof authorizeCupboard>) {
    return this.structures.setAuthorization(request, true, call.idempotency);
  }

  @Handle(deauthorizeCupboard)
  deauthorize(request: RequestOf<typeof deauthorizeCupboard>, call: Call<typeof deauthorizeCupboard>) {
    return this.structures.setAuthorization(request, false, call.idempotency);
  }
}
