import { Controller } from '@nestjs/common';
import { Handle, type Call } from '@trustno1/bus';
import { FactionsOps, type RequestOf } from '@trustno1/contracts';
import { MembershipService } from './membership.service';

const {
  create,
  list,
  get,
  update,
  disband,
  invite,
  withdrawInvite,
  join,
  leave,
  kick,
  updateMember,
  handOver,
} = FactionsOps;

/** The kit parses the request, checks the principal and the key; each handler calls the domain. */
@Controller()
export class MembershipController {
  constructor(private readonly factions: MembershipService) {}

  @Handle(create)
  create(request: RequestOf<typeof create>, call: Call<typeof create>) {
    return this.factions.create(caller(call), request);
  }

  @Handle(list)
  list(request: RequestOf<typeof list>) {
    return this.factions.list(request);
  }

  @Handle(get)
  get(request: RequestOf<typeof get>, call: Call<typeof get>) {
    return this.factions.get(call.principal, request.factionId);
  }

  @Handle(update)
  update(request: RequestOf<typeof update>, call: Call<typeof update>) {
    return this.factions.update(caller(call), request);
  }

  @Handle(disband)
  disband(request: RequestOf<typeof disband>, call: Call<typeof disband>) {
    return this.factions.disband(caller(call), request);
  }

  @Handle(invite)
  invite(request: RequestOf<typeof invite>, call: Call<typeof invite>) {
    return this.factions.invite(caller(call), request);
  }

  @Handle(withdrawInvite)
  withdrawInvite(request: RequestOf<typeof withdrawInvite>, call: Call<typeof withdrawInvite>) {
    return this.factions.withdrawInvite(caller(call), request);
  }

  @Handle(join)
  join(request: RequestOf<typeof join>, call: Call<typeof join>) {
    return this.factions.join(caller(call), request);
  }

  @Handle(leave)
  leave(request: RequestOf<typeof leave>, call: Call<typeof leave>) {
    return this.factions.leave(caller(call), request);
  }

  @Handle(kick)
  kick(request: RequestOf<typeof kick>, call: Call<typeof kick>) {
    return this.factions.kick(caller(call), request);
  }

  @Handle(updateMember)
  updateMember(request: RequestOf<typeof updateMember>, call: Call<typeof updateMember>) {
    return this.factions.updateMember(caller(call), request);
  }

  @Handle(handOver)
  handOver(request: RequestOf<typeof handOver>, call: Call<typeof handOver>) {
    return this.factions.handOver(caller(call), request);
  }
}

/** The principal and its idempotency claim, as the SQL functions take them. */
export function caller(call: Pick<Call<typeof create>, 'principal' | 'idempotency'>) {
  return { principal: call.principal, claim: call.idempotency };
}
