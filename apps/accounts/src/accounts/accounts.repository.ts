import { Injectable } from '@nestjs/common';
import { AppError, ErrorCode, type AccountView, type MeView } from '@trustno1/contracts';
import { PrismaClient, sqlErrorOf, type PrismaDb } from '@trustno1/db';

/** What a login needs to know about an account. */
export interface LoginAccount {
  id: string;
  passwordHash: string;
  twoFactorEnabled: boolean;
  ban: BanState;
}
export interface BanState {
  banned: boolean;
  reason: string | null;
  expires: Date | null;
}

interface LoginRow {
  id: string;
  passwordHash: string;
  twoFactorEnabled: boolean | null;
  banned: boolean | null;
  banReason: string | null;
  banExpires: Date | null;
}

const LOGIN_FIELDS = {
  id: true,
  passwordHash: true,
  twoFactorEnabled: true,
  banned: true,
  banReason: true,
  banExpires: true,
} as const;

const toLoginAccount = (row: LoginRow): LoginAccount => ({
  id: row.id,
  passwordHash: row.passwordHash,
  twoFactorEnabled: row.twoFactorEnabled === true,
  ban: { banned: row.banned === true, reason: row.banReason, expires: row.banExpires },
});

// Both the column constraints and the case-insensitive indexes guard the same rule.
const TAKEN: Record<string, ErrorCode> = {
  accounts_username_key: ErrorCode.USERNAME_TAKEN,
  idx_accounts_username_lower: ErrorCode.USERNAME_TAKEN,
  accounts_email_key: ErrorCode.EMAIL_TAKEN,
  idx_accounts_email_lower: ErrorCode.EMAIL_TAKEN,
};

@Injectable()
export class AccountsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async insert(
    tx: PrismaDb,
    account: { id: string; username: string; email: string; passwordHash: string },
  ): Promise<AccountView> {
    try {
      // Raw rather than account.create: Prisma would fill created_at (@default(now())) from the
      // app's clock, where the column's default takes the database's.
      const [{ createdAt }] = await tx.$queryRaw<{ createdAt: Date }[]>`
        INSERT INTO accounts (id, username, email, password_hash)
        VALUES (${account.id}, ${account.username}, ${account.email}, ${account.passwordHash})
        RETURNING created_at AS "createdAt"`;
      return {
        id: account.id,
        username: account.username,
        email: account.email,
        createdAt: createdAt.toISOString(),
      };
    } catch (error) {
      const sql = sqlErrorOf(error);
      const taken = sql?.code === '23505' && sql.constraint ? TAKEN[sql.constraint] : undefined;
      if (taken) {
        const field = taken === ErrorCode.USERNAME_TAKEN ? 'username' : 'email';
        throw new AppError(taken, `This ${field} is already taken`, { field });
      }
      throw error;
    }
  }

  /** The account a login names: a username (any case) or an email (stored lower-case). */
  async findForLogin(login: string): Promise<LoginAccount | null> {
    // lower() = lower() rather than Prisma's case-insensitive mode (ILIKE): it uses the
    // expression indexes idx_accounts_username_lower and idx_accounts_email_lower.
    const rows = await this.prisma.$queryRaw<LoginRow[]>`
      SELECT id, password_hash AS "passwordHash", two_factor_enabled AS "twoFactorEnabled", banned,
             ban_reason AS "banReason", ban_expires AS "banExpires"
        FROM accounts
       WHERE lower(username) = lower(${login}) OR lower(email) = lower(${login})`;
    return rows[0] ? toLoginAccount(rows[0]) : null;
  }

  async findById(id: string): Promise<LoginAccount | null> {
    const row = await this.prisma.account.findUnique({ where: { id }, select: LOGIN_FIELDS });
    return row ? toLoginAccount(row) : null;
  }

  /**
   * Sets last_login, but only if the password is still the one just verified and no ban is in
   * force: the check runs on the row as committed now, after the session exists, which closes the
   * race with a ban or password change that revoked sessions meanwhile. False when refused.
   */
  async recordLogin(id: string, verifiedHash: string, now: Date): Promise<boolean> {
    // No ban in force: not banned (false or NULL), or a ban whose expiry has passed.
    const { count } = await this.prisma.account.updateMany({
      where: {
        id,
        passwordHash: verifiedHash,
        OR: [{ banned: false }, { banned: null }, { banExpires: { lte: now } }],
      },
      data: { lastLogin: now },
    });
    return count === 1;
  }

  /** Clears a ban whose expiry has passed (lazily, at the next login). */
  async liftExpiredBan(id: string, now: Date): Promise<void> {
    await this.prisma.account.updateMany({
      where: { id, banned: true, banExpires: { not: null, lte: now } },
      data: { banned: false, banReason: null, banExpires: null },
    });
  }

  async me(id: string): Promise<MeView | null> {
    const row = await this.prisma.account.findUnique({
      where: { id },
      select: {
        id: true,
        username: true,
        email: true,
        createdAt: true,
        lastLogin: true,
        twoFactorEnabled: true,
        premiumExpires: true,
      },
    });
    if (!row) return null;
    return {
      id: row.id,
      username: row.username,
      email: row.email,
      // Nullable in schema.prisma as in the seed; the column's default always fills it.
      createdAt: row.createdAt!.toISOString(),
      lastLogin: row.lastLogin?.toISOString() ?? null,
      twoFactorEnabled: row.twoFactorEnabled === true,
      premiumExpires: row.premiumExpires?.toISOString() ?? null,
    };
  }

  /** Compare-and-set: of two parallel changes from the same old password, one wins. */
  async replacePasswordHash(id: string, oldHash: string, newHash: string): Promise<boolean> {
    const { count } = await this.prisma.account.updateMany({
      where: { id, passwordHash: oldHash },
      data: { passwordHash: newHash },
    });
    return count === 1;
  }

  async ban(tx: PrismaDb, id: string, reason: string, expires: Date | null): Promise<boolean> {
    const { count } = await tx.account.updateMany({
      where: { id },
      data: { banned: true, banReason: reason, banExpires: expires },
    });
    return count === 1;
  }

  async unban(id: string): Promise<boolean> {
    const { count } = await this.prisma.account.updateMany({
      where: { id },
      data: { banned: false, banReason: null, banExpires: null },
    });
    return count === 1;
  }

  async grantPremium(tx: PrismaDb, id: string, until: Date): Promise<boolean> {
    const { count } = await tx.account.updateMany({ where: { id }, data: { premiumExpires: until } });
    return count === 1;
  }
}
