import { Body, Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { BusClient } from '@trustno1/bus';
import {
  AccountsSubjects,
  banAccountBody,
  grantPremiumBody,
  type BanAccountBody,
  type Principal,
} from '@trustno1/contracts';
import { Access } from '../auth/access';
import { CurrentPrincipal, IdempotencyKey } from '../auth/request-params';
import { uuidParam, ZodPipe } from '../validation/zod.pipe';

type GrantPremiumBody = z.infer<typeof grantPremiumBody>;

@ApiTags('admin')
@ApiSecurity('admin')
@ApiParam({ name: 'id', format: 'uuid', description: 'Account id' })
@Controller('v1/admin/accounts/:id')
export class AdminAccountsController {
  constructor(private readonly bus: BusClient) {}

  @Post('ban')
  @HttpCode(204)
  @Access('admin')
  @ApiOperation({ summary: 'Ban an account; every session of it stops working at once' })
  @ApiBody({ schema: z.toJSONSchema(banAccountBody) as object })
  @ApiResponse({
    status: 204,
    description: 'Banned (until expiresAt when given; an expired ban lifts by itself)',
  })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED (expiresAt must be in the future)' })
  @ApiResponse({ status: 404, description: 'NOT_FOUND' })
  async ban(
    @Param('id', uuidParam('id')) accountId: string,
    @Body(new ZodPipe(banAccountBody)) body: BanAccountBody,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<void> {
    await this.bus.request(AccountsSubjects.ban, { ...body, accountId }, { principal, idempotencyKey });
  }

  @Delete('ban')
  @HttpCode(204)
  @Access('admin')
  @ApiOperation({ summary: 'Lift a ban' })
  @ApiResponse({ status: 204, description: 'Not banned any more (also when it was not banned)' })
  @ApiResponse({ status: 404, description: 'NOT_FOUND' })
  async unban(
    @Param('id', uuidParam('id')) accountId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    await this.bus.request(AccountsSubjects.unban, { accountId }, { principal });
  }

  @Post('premium')
  @HttpCode(204)
  @Access('admin')
  @ApiOperation({ summary: 'Set premium until a date (a past date ends premium)' })
  @ApiBody({ schema: z.toJSONSchema(grantPremiumBody) as object })
  @ApiResponse({ status: 204, description: 'premiumExpires set' })
  @ApiResponse({ status: 404, description: 'NOT_FOUND' })
  async grantPremium(
    @Param('id', uuidParam('id')) accountId: string,
    @Body(new ZodPipe(grantPremiumBody)) body: GrantPremiumBody,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<void> {
    await this.bus.request(
      AccountsSubjects.grantPremium,
      { ...body, accountId },
      { principal, idempotencyKey },
    );
  }
}
