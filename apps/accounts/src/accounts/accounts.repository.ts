import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { AppError, ErrorCode, type AccountView, type MeView } from '@trustno1/contracts';
import { PG_POOL } from '@trustno1/db';

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
  password_hash: string;
  two_factor_enabled: boolean | null;
  banned: boolean | null;
  ban_reason: string | null;
  ban_expires: Date | null;
}

const toLoginAccount = (row: LoginRow): LoginAccount => ({
  id: row.id,
  passwordHash: row.password_hash,
  twoFactorEnabled: row.two_factor_enabled === true,
  ban: { banned: row.banned === true, reason: row.ban_reason, expires: row.ban_expires },
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
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async insert(
    tx: PoolClient,
    account: { id: string; username: string; email: string; passwordHash: string },
  ): Promise<AccountView> {
    try {
      const { rows } = await tx.query<{ created_at: Date }>(
        `INSERT INTO accounts (id, username, email, password_hash) VALUES ($1, $2, $3, $4) RETURNING created_at`,
        [account.id, account.username, account.email, account.passwordHash],
      );
      return {
        id: account.id,
        username: account.username,
        email: account.email,
        createdAt: rows[0].created_at.toISOString(),
      };
    } catch (error) {
      const { code, constraint } = error as { code?: string; constraint?: string };
      const taken = code === '23505' && constraint ? TAKEN[constraint] : undefined;
      if (taken) {
        const field = taken === ErrorCode.USERNAME_TAKEN ? 'username' : 'email';
        throw new AppError(taken, `This ${field} is already taken`, { field });
      }
      throw error;
    }
  }

  /** The account a login names: a username (any case) or an email (stored lower-case). */
  async findForLogin(login: string): Promise<LoginAccount | null> {
    const { rows } = await this.pool.query<LoginRow>(
      `SELECT id, password_hash, two_factor_enabled, banned, ban_reason, ban_expires FROM accounts
       WHERE lower(username) = lower($1) OR lower(email) = lower($1)`,
      [login],
    );
    return rows[0] ? toLoginAccount(rows[0]) : null;
  }

  async findById(id: string): Promise<LoginAccount | null> {
    const { rows } = await this.pool.query<LoginRow>(
      `SELECT id, password_hash, two_factor_enabled, banned, ban_reason, ban_expires FROM accounts WHERE id = $1`,
      [id],
    );
    return rows[0] ? toLoginAccount(rows[0]) : null;
  }

  /**
   * Sets last_login, but only if the password is still the one just verified and no ban is in
   * force: the check runs on the row as committed now, after the session exists, which closes the
   * race with a ban or password change that revoked sessions meanwhile. False when refused.
   */
  async recordLogin(id: string, verifiedHash: string, now: Date): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE accounts SET last_login = $3
       WHERE id = $1 AND password_hash = $2 AND NOT (banned IS TRUE AND (ban_expires IS NULL OR ban_expires > $3))`,
      [id, verifiedHash, now],
    );
    return rowCount === 1;
  }

  /** Clears a ban whose expiry has passed (lazily, at the next login). */
  async liftExpiredBan(id: string, now: Date): Promise<void> {
    await this.pool.query(
      `UPDATE accounts SET banned = FALSE, ban_reason = NULL, ban_expires = NULL
       WHERE id = $1 AND banned IS TRUE AND ban_expires IS NOT NULL AND ban_expires <= $2`,
      [id, now],
    );
  }

  async me(id: string): Promise<MeView | null> {
    const { rows } = await this.pool.query<{
      id: string;
      username: string;
      email: string;
      created_at: Date;
      last_login: Date | null;
      two_factor_enabled: boolean | null;
      premium_expires: Date | null;
    }>(
      `SELECT id, username, email, created_at, last_login, two_factor_enabled, premium_expires FROM accounts WHERE id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      username: row.username,
      email: row.email,
      createdAt: row.created_at.toISOString(),
      lastLogin: row.last_login?.toISOString() ?? null,
      twoFactorEnabled: row.two_factor_enabled === true,
      premiumExpires: row.premium_expires?.toISOString() ?? null,
    };
  }

  /** Compare-and-set: of two parallel changes from the same old password, one wins. */
  async replacePasswordHash(id: string, oldHash: string, newHash: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE accounts SET password_hash = $3 WHERE id = $1 AND password_hash = $2`,
      [id, oldHash, newHash],
    );
    return rowCount === 1;
  }

  async ban(tx: PoolClient, id: string, reason: string, expires: Date | null): Promise<boolean> {
    const { rowCount } = await tx.query(
      `UPDATE accounts SET banned = TRUE, ban_reason = $2, ban_expires = $3 WHERE id = $1`,
      [id, reason, expires],
    );
    return rowCount === 1;
  }

  async unban(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE accounts SET banned = FALSE, ban_reason = NULL, ban_expires = NULL WHERE id = $1`,
      [id],
    );
    return rowCount === 1;
  }

  async grantPremium(tx: PoolClient, id: string, until: Date): Promise<boolean> {
    const { rowCount } = await tx.query(`UPDATE accounts SET premium_expires = $2 WHERE id = $1`, [
      id,
      until,
    ]);
    return rowCount === 1;
  }
}
