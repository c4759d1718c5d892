import { Inject, Injectable } from '@nestjs/common';
import { AccountsEvents, AppError, ErrorCode, type AccountBannedEvent } from '@trustno1/contracts';
import { enqueueEventPrisma } from '@trustno1/bus';
import { PrismaClient, runIdempotentPrisma, type IdempotencyClaim } from '@trustno1/db';
import { CLOCK, type Clock } from '../clock/clock';
import { SessionStore } from '../sessions/session.store';
import { AccountsRepository } from './accounts.repository';

const notFound = () => new AppError(ErrorCode.NOT_FOUND, 'Account not found');

/** Admin actions on accounts: bans and premium grants. */
@Injectable()
export class BansService {
  constructor(
    private readonly prisma: PrismaClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly accounts: AccountsRepository,
    private readonly sessions: SessionStore,
  ) {}

  /**
   * Bans and ends every session at once. The sessions are revoked after the commit (never while
   * the row is locked); a login racing the ban re-checks it after creating its session.
   */
  async ban(
    payload: { accountId: string; reason: string; expiresAt?: string },
    claim: IdempotencyClaim | undefined,
  ): Promise<void> {
    const now = this.clock.now();
    const expires = payload.expiresAt ? new Date(payload.expiresAt) : null;
    if (expires && expires <= now) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, 'Invalid request: expiresAt', {
        fields: [{ field: 'expiresAt', message: 'must be in the future' }],
      });
    }
    await runIdempotentPrisma(this.prisma, claim, async (tx) => {
      if (!(await this.accounts.ban(tx, payload.accountId, payload.reason, expires))) throw notFound();
      const event: AccountBannedEvent = {
        accountId: payload.accountId,
        reason: payload.reason,
        expiresAt: expires?.toISOString() ?? null,
        bannedAt: now.toISOString(),
      };
      await enqueueEventPrisma(tx, AccountsEvents.accountBanned, event);
      return null;
    });
    // Also on a replay: revoking again is harmless and covers a crash between commit and here.
    await this.sessions.revokeAll(payload.accountId);
  }

  async unban(accountId: string): Promise<void> {
    if (!(await this.accounts.unban(accountId))) throw notFound();
  }

  /** Sets premium_expires; a date in the past ends premium. */
  async grantPremium(
    payload: { accountId: string; until: string },
    claim: IdempotencyClaim | undefined,
  ): Promise<void> {
    await runIdempotentPrisma(this.prisma, claim, async (tx) => {
      if (!(await this.accounts.grantPremium(tx, payload.accountId, new Date(payload.until))))
        throw notFound();
      return null;
    });
  }
}
