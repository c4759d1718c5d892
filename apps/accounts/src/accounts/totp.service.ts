import { Inject, Injectable } from '@nestjs/common';
import { AppError, ErrorCode, type TotpEnrollmentView } from '@trustno1/contracts';
import { PrismaClient, runIdempotentPrisma, type IdempotencyClaim } from '@trustno1/db';
import { CLOCK, type Clock } from '../clock/clock';
import { matchTotpStep, newTotpSecret, otpauthUrl } from './totp';
import { TOTP_SEALER, type TotpSealer } from './totp-seal';
import { TotpRepository } from './totp.repository';

@Injectable()
export class TotpService {
  constructor(
    private readonly prisma: PrismaClient,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(TOTP_SEALER) private readonly sealer: TotpSealer,
    private readonly repository: TotpRepository,
  ) {}

  /**
   * A new pending secret; enrolling again before verifying replaces it. The secret is sealed
   * before it is stored, in account_totp and in the idempotency record a retry replays.
   */
  async enroll(accountId: string, claim: IdempotencyClaim | undefined): Promise<TotpEnrollmentView> {
    const { result } = await runIdempotentPrisma(this.prisma, claim, async (tx) => {
      const sealed = this.sealer.seal(accountId, newTotpSecret());
      const enrolled = await this.repository.enroll(tx, accountId, sealed);
      if (!enrolled) throw new AppError(ErrorCode.NOT_FOUND, 'Account not found');
      if (!enrolled.stored) throw new AppError(ErrorCode.CONFLICT, 'Two-factor authentication is already on');
      return { username: enrolled.username, sealed };
    });
    const secret = this.sealer.open(accountId, result.sealed);
    return { secret, otpauthUrl: otpauthUrl(result.username, secret) };
  }

  /** Confirms the pending secret with a code and turns 2FA on. */
  async verify(accountId: string, code: string, claim: IdempotencyClaim | undefined): Promise<void> {
    await runIdempotentPrisma(this.prisma, claim, async (tx) => {
      const totp = await this.repository.find(accountId, tx);
      if (!totp) throw new AppError(ErrorCode.CONFLICT, 'No two-factor enrolment is pending');
      if (totp.enabled) throw new AppError(ErrorCode.CONFLICT, 'Two-factor authentication is already on');
      const now = this.clock.now();
      const step = matchTotpStep(this.sealer.open(accountId, totp.stored), code, now);
      if (step === null || !(await this.repository.enable(tx, accountId, totp.stored, step, now))) {
        throw new AppError(ErrorCode.TOTP_INVALID, 'The code is wrong, expired or already used');
      }
      return null;
    });
  }

  /** True when `code` is a current, unused code of the account's active secret (and uses it). */
  async consumeForLogin(accountId: string, code: string): Promise<boolean> {
    const totp = await this.repository.find(accountId);
    if (!totp?.enabled) return false;
    const step = matchTotpStep(this.sealer.open(accountId, totp.stored), code, this.clock.now());
    return step !== null && this.repository.consume(accountId, totp.stored, step);
  }
}
