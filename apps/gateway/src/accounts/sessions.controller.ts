import { Body, Controller, Delete, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { BusClient } from '@trustno1/bus';
import {
  AccountsSubjects,
  AppError,
  createSessionBody,
  ErrorCode,
  type CreateSessionBody,
  type Principal,
  type SessionView,
} from '@trustno1/contracts';
import { Access } from '../auth/access';
import { CurrentPrincipal, IdempotencyKey } from '../auth/request-params';
import { ZodPipe } from '../validation/zod.pipe';

@ApiTags('sessions')
@Controller('v1/sessions')
export class SessionsController {
  constructor(private readonly bus: BusClient) {}

  @Post()
  @HttpCode(201)
  @Access('anonymous', 'player')
  @ApiOperation({
    summary: 'Log in by username or email',
    description:
      'Each call opens a new session (tokens are stored only as hashes, so there is no token to replay for an Idempotency-Key).',
  })
  @ApiBody({ schema: z.toJSONSchema(createSessionBody) as object })
  @ApiResponse({ status: 201, description: '{token, expiresAt, accountId}: the token is shown this once' })
  @ApiResponse({
    status: 401,
    description: 'INVALID_CREDENTIALS (unknown login or wrong password alike), TOTP_REQUIRED, TOTP_INVALID',
  })
  @ApiResponse({ status: 403, description: 'ACCOUNT_BANNED with details {reason, expiresAt}' })
  @ApiResponse({
    status: 429,
    description: 'RATE_LIMITED: 5 failures in 10 minutes lock the account for 10 minutes (Retry-After)',
  })
  create(
    @Body(new ZodPipe(createSessionBody)) body: CreateSessionBody,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<SessionView> {
    return this.bus.request(AccountsSubjects.login, body, { principal, idempotencyKey });
  }

  @Delete('current')
  @HttpCode(204)
  @Access('player')
  @ApiBearerAuth('player')
  @ApiOperation({ summary: 'Log out: the bearer token stops working at once' })
  @ApiResponse({ status: 204, description: 'Logged out' })
  async revoke(
    @Headers('authorization') authorization: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    // The guard already resolved this header to the player; here it names the session to end.
    const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    if (!token)
      throw new AppError(ErrorCode.UNAUTHENTICATED, 'Authorization must be "Bearer <session token>"');
    await this.bus.request(AccountsSubjects.logout, { token }, { principal });
  }
}
