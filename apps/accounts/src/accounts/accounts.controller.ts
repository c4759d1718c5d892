import { Controller } from '@nestjs/common';
import { Handle, type Call } from '@trustno1/bus';
import { AccountsOps, type RequestOf } from '@trustno1/contracts';
import { AccountsService } from './accounts.service';

const { register, me, changePassword } = AccountsOps;

@Controller()
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Handle(register)
  register(request: RequestOf<typeof register>, call: Call<typeof register>) {
    return this.accounts.register(request, call.idempotency);
  }

  @Handle(me)
  me(_request: RequestOf<typeof me>, call: Call<typeof me>) {
    return this.accounts.me(call.principal.accountId);
  }

  @Handle(changePassword)
  async changePassword(request: RequestOf<typeof changePassword>, call: Call<typeof changePassword>) {
    await this.accounts.changePassword(call.principal.accountId, request);
    return null;
  }
}
