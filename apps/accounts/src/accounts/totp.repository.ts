import { Injectable } from '@nestjs/common';
import { PrismaClient, type PrismaDb } from '@trustno1/db';

export interface StoredTotp {
  /** The column as stored: sealed (TotpSealer), or plain base32 for rows from before sealing. */
  stored: string;
  enabled: boolean;
}

/** account_totp: one secret per account; a row without enabled_at is a pending enrolment. */
@Injectable()
export class TotpRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Stores a pending secret (replacing a pending one). Returns the username and whether it was
   * stored (false when 2FA is already on), or null when the account does not exist.
   */
  async enroll(
    tx: PrismaDb,
    accountId: string,
    sealedSecret: string,
  ): Promise<{ username: string; stored: boolean } | null> {
    // One statement: an upsert that leaves an enabled secret alone (ON CONFLICT … WHERE).
    const rows = await tx.$queryRaw<{ username: string; stored: boolean }[]>`
      WITH a AS (SELECT id, username FROM accounts WHERE id = ${accountId}),
      up AS (
        INSERT INTO account_totp (account_id, secret) SELECT id, ${sealedSecret} FROM a
        ON CONFLICT (account_id) DO UPDATE SET secret = EXCLUDED.secret, last_used_step = NULL, created_at = now()
        WHERE account_totp.enabled_at IS NULL
        RETURNING account_id)
      SELECT a.username, EXISTS (SELECT 1 FROM up) AS stored FROM a`;
    return rows[0] ?? null;
  }

  async find(accountId: string, db: PrismaDb = this.prisma): Promise<StoredTotp | null> {
    const row = await db.accountTotp.findUnique({
      where: { accountId },
      select: { secret: true, enabledAt: true },
    });
    return row ? { stored: row.secret, enabled: row.enabledAt !== null } : null;
  }

  /**
   * Turns 2FA on with the code of `step`: compare-and-set on last_used_step and on the secret,
   * so a code is used once even by parallel requests, and a re-enrolment meanwhile wins.
   */
  async enable(tx: PrismaDb, accountId: string, stored: string, step: number, now: Date): Promise<boolean> {
    // Both tables in one statement, so the account's flag never disagrees with the secret's state.
    const updated = await tx.$executeRaw`
      WITH t AS (
        UPDATE account_totp SET last_used_step = ${step}, enabled_at = ${now}
        WHERE account_id = ${accountId} AND secret = ${stored} AND enabled_at IS NULL
          AND (last_used_step IS NULL OR last_used_step < ${step})
        RETURNING account_id)
      UPDATE accounts SET two_factor_enabled = TRUE FROM t WHERE accounts.id = t.account_id`;
    return updated === 1;
  }

  /** Uses the code of `step` for a login: once per step, never an older step than the last. */
  async consume(accountId: string, stored: string, step: number): Promise<boolean> {
    const { count } = await this.prisma.accountTotp.updateMany({
      where: {
        accountId,
        secret: stored,
        enabledAt: { not: null },
        OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: step } }],
      },
      data: { lastUsedStep: step },
    });
    return count === 1;
  }
}
