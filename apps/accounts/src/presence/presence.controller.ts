import { Controller } from '@nestjs/common';
import { Handle, type Call } from '@trustno1/bus';
import { AccountsOps, type RequestOf } from '@trustno1/contracts';
import { PresenceFlushService } from './presence-flush.service';
import { PresenceService } from './presence.service';

const { join, leave, updateStates, chunkPlayers, flushPositions } = AccountsOps;

/** Game servers may call these subjects directly: the kit checks the principal, not only the gateway. */
@Controller()
export class PresenceController {
  constructor(
    private readonly presence: PresenceService,
    private readonly flush: PresenceFlushService,
  ) {}

  @Handle(join)
  join(request: RequestOf<typeof join>, call: Call<typeof join>) {
    return this.presence.join(call.principal.serverId, request.playerId, call.idempotency);
  }

  @Handle(leave)
  leave(request: RequestOf<typeof leave>, call: Call<typeof leave>) {
    return this.presence.leave(call.principal.serverId, request.playerId, call.idempotency);
  }

  @Handle(updateStates)
  async updateStates(request: RequestOf<typeof updateStates>, call: Call<typeof updateStates>) {
    await this.presence.updateStates(call.principal.serverId, request.states);
    return null;
  }

  @Handle(chunkPlayers)
  chunkPlayers(request: RequestOf<typeof chunkPlayers>, call: Call<typeof chunkPlayers>) {
    return this.presence.chunkPlayers(call.principal.serverId, request.x, request.z);
  }

  /** Internal: the worker's `positions.flush` schedule. */
  @Handle(flushPositions)
  flushPositions(request: RequestOf<typeof flushPositions>) {
    return this.flush.run(request.batchSize);
  }
}
