import { Controller } from '@nestjs/common';
import { Handle, type Call } from '@trustno1/bus';
import { RaidOps, type RequestOf } from '@trustno1/contracts';
import { RaidsService } from './raids.service';

/** The kit parses the request, checks the principal and answers errors; the handler calls the domain. */
@Controller()
export class RaidsController {
  constructor(private readonly raids: RaidsService) {}

  @Handle(RaidOps.listRaids)
  list(request: RequestOf<typeof RaidOps.listRaids>, call: Call<typeof RaidOps.listRaids>) {
    return this.raids.list(request, call.principal);
  }

  @Handle(RaidOps.getRaid)
  get(request: RequestOf<typeof RaidOps.getRaid>, call: Call<typeof RaidOps.getRaid>) {
    return this.raids.get(request.raidId, call.principal);
  }

  @Handle(RaidOps.closeIdleRaids)
  closeIdle(request: RequestOf<typeof RaidOps.closeIdleRaids>) {
    return this.raids.closeIdle(request.now);
  }
}
