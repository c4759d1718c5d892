import { Inject, Injectable } from '@nestjs/common';
import { AppError, ErrorCode, type CreateSessionBody, type SessionView } from '@trustno1/contracts';
import { CLOCK, type Clock } from '../clock/clock';
import { SessionStore } from '../sessions/session.store';
import { AccountsRepository, type BanState, type LoginAccount } from './accounts.repository';
import { LoginLockout } from './lockout';
import { PasswordHasher } from './passwords';
import { TotpService } from './totp.service';

const invalidCredentials = () => new AppError(ErrorCode.INVALID_CREDENTIALS, 'Wrong login or password');

/** The ban in force at `now`, or null (an expired ban no longer counts). */
export function activeBan(ban: BanState, now: Date): BanState | null {
  if (!ban.banned) return null;
  return ban.expires === null || ban.expires > now ? ban : null;
}

function bannedError(ban: BanState): AppError {
  return new AppError(ErrorCode.ACCOUNT_BANNED, 'This account is banned', {
    reason: ban.reason,
    expiresAt: ban.expires?.toISOString() ?? null,
  });
}

/**
 * Login and logout. A login creates a new session every time, Idempotency-Key or not: the token
 * lives only in Redis as a hash, so a stored reply to replay would be a stored token. A client
 * retrying after a lost reply gets a second session; the first, never seen, expires in 24 h.
 */
@Injectable()
export class LoginService {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly accounts: AccountsRepository,
    private readonly hasher: PasswordHasher,
    private readonly lockout: LoginLockout,
    private readonly totp: TotpService,
    private readonly sessions: SessionStore,
  ) {}

  async login(body: CreateSessionBody): Promise<SessionView> {
    const account = await this.accounts.findForLogin(body.login);
    const subject = account ? account.id : LoginLockout.unknownLoginSubject(body.login);
    const attempt = await this.lockout.begin(subject);
    // The same Argon2 work whether or not the account exists: timing tells nothing.
    const passwordOk = account
      ? await this.hasher.verify(account.passwordHash, body.password)
      : await this.hasher.verifyNothing(body.password);
    if (!account || !passwordOk) throw invalidCredentials();
    if (account.twoFactorEnabled) {
      if (body.totp === undefined) {
        await this.lockout.forgive(attempt);
        throw new AppError(ErrorCode.TOTP_REQUIRED, 'A two-factor code is required');
      }
      if (!(await this.totp.consumeForLogin(account.id, body.totp))) {
        throw new AppError(ErrorCode.TOTP_INVALID, 'The two-factor code is wrong, expired or already used');
      }
    }
    await this.assertNotBanned(account);
    await this.lockout.clear(subject);
    return this.openSession(account);
  }

  /** Ends the session of `token` if it belongs to `accountId`; an unknown token is already ended. */
  async logout(accountId: string, token: string): Promise<void> {
    const session = await this.sessions.resolve(token);
    if (!session) return;
    if (session.accountId !== accountId) throw new AppError(ErrorCode.FORBIDDEN, 'Not your session');
    await this.sessions.revoke(session.sessionId, session.accountId);
  }

  private async assertNotBanned(account: LoginAccount): Promise<void> {
    const now = this.clock.now();
    const ban = activeBan(account.ban, now);
    if (ban) throw bannedError(ban);
    if (account.ban.banned) await this.accounts.liftExpiredBan(account.id, now);
  }

  /**
   * A ban or password change may commit between our checks and the session's creation, and its
   * revokeAll may run before our session exists. So the session is created first and the account
   * checked again afterwards, as committed now; a refused check revokes the new session.
   */
  private async openSession(account: LoginAccount): Promise<SessionView> {
    const session = await this.sessions.create(account.id);
    if (await this.accounts.recordLogin(account.id, account.passwordHash, this.clock.now())) {
      return { token: session.token, expiresAt: session.expiresAt.toISOString(), accountId: account.id };
    }
    await this.sessions.revoke(session.sessionId, account.id);
    const current = await this.accounts.findById(account.id);
    const ban = current && activeBan(current.ban, this.clock.now());
    throw ban ? bannedError(ban) : invalidCredentials();
  }
}
