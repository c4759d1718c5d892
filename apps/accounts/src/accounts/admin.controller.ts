import { Controller } from '@nestjs/common';
import { Handle, type Call } from '@trustno1/bus';
import { AccountsOps, type RequestOf } from '@trustno1/contracts';
import { BansService } from './bans.service';

const { ban, unban, grantPremium } = AccountsOps;

/** Operators' subjects on accounts. */
@Controller()
export class AdminAccountsController {
  constructor(private readonly bans: BansService) {}

  @Handle(ban)
  async ban(request: RequestOf<typeof ban>, call: Call<typeof ban>) {
    await this.bans.ban(request, call.idempotency);
    return null;
  }

  @Handle(unban)
  async unban(request: RequestOf<typeof unban>) {
    await this.bans.unban(request.accountId);
    return null;
  }

  @Handle(grantPremium)
  async grantPremium(request: RequestOf<typeof grantPremium>, call: Call<typeof grantPremium>) {
    await this.bans.grantPremium(request, call.idempotency);
    return null;
  }
}
