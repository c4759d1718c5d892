import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Meta, type RequestMeta } from '@trustno1/bus';
import {
  AccountsSubjects,
  changePasswordBody,
  getMeRequest,
  parsePayload,
  registerAccountBody,
  type AccountView,
  type MeView,
} from '@trustno1/contracts';
import { AccountsService } from './accounts.service';
import { requirePlayer } from './principals';

@Controller()
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  /** Open to anyone: registration needs no principal. */
  @MessagePattern(AccountsSubjects.register)
  register(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<AccountView> {
    return this.accounts.register(parsePayload(registerAccountBody, payload), meta);
  }

  @MessagePattern(AccountsSubjects.me)
  me(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<MeView> {
    parsePayload(getMeRequest, payload ?? {});
    return this.accounts.me(requirePlayer(meta.principal));
  }

  @MessagePattern(AccountsSubjects.changePassword)
  async changePassword(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<void> {
    const body = parsePayload(changePasswordBody, payload);
    await this.accounts.changePassword(requirePlayer(meta.principal), body);
  }
}
