import { Controller } from '@nestjs/common';
import { Handle, type Call } from '@trustno1/bus';
import { WorldOps, type RequestOf } from '@trustno1/contracts';
import { TerritoriesService } from './territories.service';

const { listTerritories, createTerritory, captureTerritory, creditTerritoryResources } = WorldOps;

/** Game servers read territories and report captures; operators (admin) define them. */
@Controller()
export class TerritoriesController {
  constructor(private readonly territories: TerritoriesService) {}

  @Handle(listTerritories)
  list() {
    return this.territories.list();
  }

  @Handle(createTerritory)
  create(request: RequestOf<typeof createTerritory>, call: Call<typeof createTerritory>) {
    return this.territories.create(request, call.idempotency);
  }

  @Handle(captureTerritory)
  capture(request: RequestOf<typeof captureTerritory>, call: Call<typeof captureTerritory>) {
    return this.territories.capture(request, call.principal.serverId, call.idempotency);
  }

  /** The `territories.resources` schedule's tick (worker, admin principal). */
  @Handle(creditTerritoryResources)
  credit(request: RequestOf<typeof creditTerritoryResources>) {
    return this.territories.creditResources(new Date(request.now));
  }
}
