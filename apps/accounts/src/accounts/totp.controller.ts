import { Controller } from '@nestjs/common';
import { Handle, type Call } from '@trustno1/bus';
import { AccountsOps, type RequestOf } from '@trustno1/contracts';
import { TotpService } from './totp.service';

const { enrollTotp, verifyTotp } = AccountsOps;

@Controller()
export class TotpController {
  constructor(private readonly totp: TotpService) {}

  @Handle(enrollTotp)
  enroll(_request: RequestOf<typeof enrollTotp>, call: Call<typeof enrollTotp>) {
    return this.totp.enroll(call.principal.accountId, call.idempotency);
  }

  @Handle(verifyTotp)
  async verify(request: RequestOf<typeof verifyTotp>, call: Call<typeof verifyTotp>) {
    await this.totp.verify(call.principal.accountId, request.code, call.idempotency);
    return null;
  }
}
