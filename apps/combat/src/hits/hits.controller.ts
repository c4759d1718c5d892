import { Controller } from '@nestjs/common';
import { Handle, type Call } from '@trustno1/bus';
import { CombatOps, type RequestOf } from '@trustno1/contracts';
import { HitsService } from './hits.service';

const { applyHits, getCombatState, respawn } = CombatOps;

@Controller()
export class HitsController {
  constructor(private readonly hits: HitsService) {}

  @Handle(applyHits)
  apply(request: RequestOf<typeof applyHits>, call: Call<typeof applyHits>) {
    return this.hits.apply(call.principal, request, call.idempotency);
  }

  @Handle(respawn)
  respawn(request: RequestOf<typeof respawn>, call: Call<typeof respawn>) {
    return this.hits.respawn(call.principal, request.playerId, request.position, call.idempotency);
  }

  @Handle(getCombatState)
  state(request: RequestOf<typeof getCombatState>, call: Call<typeof getCombatState>) {
    return this.hits.combatState(call.principal, request.playerId);
  }
}
