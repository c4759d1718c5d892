import { Controller } from '@nestjs/common';
import { Handle, type Call } from '@trustno1/bus';
import { AccountsOps, type RequestOf } from '@trustno1/contracts';
import { MatchmakingAssigner } from './matchmaking-assigner.service';
import { MatchmakingService } from './matchmaking.service';

const { enqueueTicket, getTicket, assignTickets } = AccountsOps;

@Controller()
export class MatchmakingController {
  constructor(
    private readonly matchmaking: MatchmakingService,
    private readonly assigner: MatchmakingAssigner,
  ) {}

  @Handle(enqueueTicket)
  enqueue(request: RequestOf<typeof enqueueTicket>, call: Call<typeof enqueueTicket>) {
    const { region, characterId } = request;
    return this.matchmaking.enqueue(call.principal.accountId, region, characterId, call.idempotency);
  }

  @Handle(getTicket)
  get(request: RequestOf<typeof getTicket>, call: Call<typeof getTicket>) {
    return this.matchmaking.get(call.principal.accountId, request.ticketId);
  }

  /** Internal: the worker's `matchmaking.assign` schedule. */
  @Handle(assignTickets)
  assign() {
    return this.assigner.run();
  }
}
