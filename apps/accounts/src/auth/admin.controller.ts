import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Meta, type RequestMeta } from '@trustno1/bus';
import {
  AccountsSubjects,
  accountIdRequest,
  banAccountRequest,
  grantPremiumRequest,
  parsePayload,
} from '@trustno1/contracts';
import { BansService } from './bans.service';
import { requireAdmin } from './principals';

/** Admin subjects on accounts; each needs the admin principal. */
@Controller()
export class AdminAccountsController {
  constructor(private readonly bans: BansService) {}

  @MessagePattern(AccountsSubjects.ban)
  async ban(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<void> {
    const body = parsePayload(banAccountRequest, payload);
    requireAdmin(meta.principal);
    await this.bans.ban(body, meta);
  }

  @MessagePattern(AccountsSubjects.unban)
  async unban(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<void> {
    const { accountId } = parsePayload(accountIdRequest, payload);
    requireAdmin(meta.principal);
    await this.bans.unban(accountId);
  }

  @MessagePattern(AccountsSubjects.grantPremium)
  async grantPremium(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<void> {
    const body = parsePayload(grantPremiumRequest, payload);
    requireAdmin(meta.principal);
    await this.bans.grantPremium(body, meta);
  }
}
