import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { BusClient } from '@trustno1/bus';
import {
  AccountsSubjects,
  changePasswordBody,
  registerAccountBody,
  verifyTotpBody,
  type AccountView,
  type ChangePasswordBody,
  type MeView,
  type Principal,
  type RegisterAccountBody,
  type TotpEnrollmentView,
} from '@trustno1/contracts';
import { Access } from '../auth/access';
import { CurrentPrincipal, IdempotencyKey } from '../auth/request-params';
import { ZodPipe } from '../validation/zod.pipe';

type VerifyTotpBody = z.infer<typeof verifyTotpBody>;

@ApiTags('accounts')
@Controller('v1/accounts')
export class AccountsController {
  constructor(private readonly bus: BusClient) {}

  @Post()
  @HttpCode(201)
  @Access('anonymous', 'player', 'admin')
  @ApiOperation({ summary: 'Register an account (no credentials needed)' })
  @ApiBody({ schema: z.toJSONSchema(registerAccountBody) as object })
  @ApiResponse({ status: 201, description: '{id, username, email, createdAt}' })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED (also a password of the common list)' })
  @ApiResponse({
    status: 409,
    description: 'USERNAME_TAKEN, EMAIL_TAKEN (whatever the case) or IDEMPOTENCY_KEY_REUSED',
  })
  register(
    @Body(new ZodPipe(registerAccountBody)) body: RegisterAccountBody,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<AccountView> {
    return this.bus.request(AccountsSubjects.register, body, { principal, idempotencyKey });
  }

  @Get('me')
  @Access('player')
  @ApiBearerAuth('player')
  @ApiResponse({
    status: 200,
    description: '{id, username, email, createdAt, lastLogin, twoFactorEnabled, premiumExpires}',
  })
  me(@CurrentPrincipal() principal: Principal): Promise<MeView> {
    return this.bus.request(AccountsSubjects.me, {}, { principal });
  }

  @Post('me/2fa')
  @HttpCode(201)
  @Access('player')
  @ApiBearerAuth('player')
  @ApiOperation({
    summary: 'Start two-factor enrolment; enrolling again before verifying replaces the secret',
  })
  @ApiResponse({ status: 201, description: '{secret, otpauthUrl}: shown this once, pending until verified' })
  @ApiResponse({ status: 409, description: 'CONFLICT: two-factor authentication is already on' })
  enrollTotp(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<TotpEnrollmentView> {
    return this.bus.request(AccountsSubjects.enrollTotp, {}, { principal, idempotencyKey });
  }

  @Post('me/2fa/verify')
  @HttpCode(204)
  @Access('player')
  @ApiBearerAuth('player')
  @ApiOperation({
    summary: 'Confirm enrolment with a current code (RFC 6238, 30 s, ±1 step, each code once)',
  })
  @ApiBody({ schema: z.toJSONSchema(verifyTotpBody) as object })
  @ApiResponse({ status: 204, description: 'Two-factor authentication is on' })
  @ApiResponse({ status: 401, description: 'TOTP_INVALID: wrong, expired or already used code' })
  @ApiResponse({ status: 409, description: 'CONFLICT: nothing pending, or already on' })
  async verifyTotp(
    @Body(new ZodPipe(verifyTotpBody)) body: VerifyTotpBody,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<void> {
    await this.bus.request(AccountsSubjects.verifyTotp, body, { principal, idempotencyKey });
  }

  @Put('me/password')
  @HttpCode(204)
  @Access('player')
  @ApiBearerAuth('player')
  @ApiOperation({ summary: 'Change the password; every session of the account ends, this one included' })
  @ApiBody({ schema: z.toJSONSchema(changePasswordBody) as object })
  @ApiResponse({ status: 204, description: 'Changed; log in again' })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED (newPassword too short, too long or common)' })
  @ApiResponse({
    status: 401,
    description: 'INVALID_CREDENTIALS: currentPassword is wrong (counts as a failed login)',
  })
  @ApiResponse({
    status: 429,
    description: 'RATE_LIMITED: the account is locked after 5 failures (Retry-After)',
  })
  async changePassword(
    @Body(new ZodPipe(changePasswordBody)) body: ChangePasswordBody,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    await this.bus.request(AccountsSubjects.changePassword, body, { principal });
  }
}
