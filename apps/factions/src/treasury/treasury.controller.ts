import { Controller } from '@nestjs/common';
import { Handle, type Call } from '@trustno1/bus';
import { FactionsOps, type RequestOf } from '@trustno1/contracts';
import { caller } from '../membership/membership.controller';
import { TreasuryService } from './treasury.service';

const { deposit, withdraw, ledger } = FactionsOps;

@Controller()
export class TreasuryController {
  constructor(private readonly treasury: TreasuryService) {}

  @Handle(deposit)
  deposit(request: RequestOf<typeof deposit>, call: Call<typeof deposit>) {
    return this.treasury.deposit(caller(call), request);
  }

  @Handle(withdraw)
  withdraw(request: RequestOf<typeof withdraw>, call: Call<typeof withdraw>) {
    return this.treasury.withdraw(caller(call), request);
  }

  @Handle(ledger)
  ledger(request: RequestOf<typeof ledger>, call: Call<typeof ledger>) {
    return this.treasury.ledger(call.principal, request);
  }
}
