import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Meta, type RequestMeta } from '@trustno1/bus';
import {
  AccountsSubjects,
  getMeRequest,
  parsePayload,
  verifyTotpBody,
  type TotpEnrollmentView,
} from '@trustno1/contracts';
import { requirePlayer } from './principals';
import { TotpService } from './totp.service';

@Controller()
export class TotpController {
  constructor(private readonly totp: TotpService) {}

  @MessagePattern(AccountsSubjects.enrollTotp)
  enroll(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<TotpEnrollmentView> {
    parsePayload(getMeRequest, payload ?? {});
    return this.totp.enroll(requirePlayer(meta.principal), meta);
  }

  @MessagePattern(AccountsSubjects.verifyTotp)
  async verify(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<void> {
    const { code } = parsePayload(verifyTotpBody, payload);
    await this.totp.verify(requirePlayer(meta.principal), code, meta);
  }
}
