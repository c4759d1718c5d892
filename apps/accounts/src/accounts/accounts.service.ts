import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  AccountsEvents,
  AppError,
  ErrorCode,
  type AccountRegisteredEvent,
  type AccountView,
  type ChangePasswordBody,
  type MeView,
  type RegisterAccountBody,
} from '@trustno1/contracts';
import { enqueueEventPrisma } from '@trustno1/bus';
import { PrismaClient, runIdempotentPrisma, type IdempotencyClaim } from '@trustno1/db';
import { SessionStore } from '../sessions/session.store';
import { AccountsRepository } from './accounts.repository';
import { LoginLockout } from './lockout';
import { assertNotCommon, PasswordHasher } from './passwords';

@Injectable()
export class AccountsService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly repository: AccountsRepository,
    private readonly hasher: PasswordHasher,
    private readonly lockout: LoginLockout,
    private readonly sessions: SessionStore,
  ) {}

  /**
   * The claim is pinned to the username and email only (AccountsOps.register): a replay proves
   * the password against the account instead.
   */
  async register(body: RegisterAccountBody, claim: IdempotencyClaim | undefined): Promise<AccountView> {
    assertNotCommon(body.password, 'password');
    const email = body.email.toLowerCase();
    const passwordHash = await this.hasher.hash(body.password);
    const outcome = await runIdempotentPrisma(this.prisma, claim, async (tx) => {
      const account = await this.repository.insert(tx, {
        id: randomUUID(),
        username: body.username,
        email,
        passwordHash,
      });
      const event: AccountRegisteredEvent = {
        accountId: account.id,
        username: account.username,
        createdAt: account.createdAt,
      };
      await enqueueEventPrisma(tx, AccountsEvents.accountRegistered, event);
      return account;
    });
    if (outcome.replayed) await this.assertSamePassword(outcome.result.id, body.password, claim?.key);
    return outcome.result;
  }

  async me(accountId: string): Promise<MeView> {
    const me = await this.repository.me(accountId);
    if (!me) throw new AppError(ErrorCode.NOT_FOUND, 'Account not found');
    return me;
  }

  /** A new password ends every session, this one included (SPEC §8). */
  async changePassword(accountId: string, body: ChangePasswordBody): Promise<void> {
    assertNotCommon(body.newPassword, 'newPassword');
    const account = await this.repository.findById(accountId);
    if (!account) throw new AppError(ErrorCode.NOT_FOUND, 'Account not found');
    // A stolen session must not become a way around the login lockout.
    const attempt = await this.lockout.begin(accountId);
    if (!(await this.hasher.verify(account.passwordHash, body.currentPassword))) {
      throw new AppError(ErrorCode.INVALID_CREDENTIALS, 'The current password is wrong');
    }
    const newHash = await this.hasher.hash(body.newPassword);
    if (!(await this.repository.replacePasswordHash(accountId, account.passwordHash, newHash))) {
      await this.lockout.forgive(attempt);
      throw new AppError(ErrorCode.CONFLICT, 'The password was changed meanwhile');
    }
    await this.lockout.clear(accountId);
    await this.sessions.revokeAll(accountId);
  }

  private async assertSamePassword(
    accountId: string,
    password: string,
    key: string | undefined,
  ): Promise<void> {
    const account = await this.repository.findById(accountId);
    if (!account || !(await this.hasher.verify(account.passwordHash, password))) {
      throw new AppError(
        ErrorCode.IDEMPOTENCY_KEY_REUSED,
        'This Idempotency-Key was used for another request',
        { key },
      );
    }
  }
}
