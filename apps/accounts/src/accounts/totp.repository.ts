import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { PG_POOL } from '@trustno1/db';

export interface StoredTotp {
  /** The column as stored: sealed (TotpSealer), or plain base32 for rows from before sealing. */
  stored: string;
  enabled: boolean;
}

/** account_totp: one secret per account; a row without enabled_at is a pending enrolment. */
@Injectable()
export class TotpRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * Stores a pending secret (replacing a pending one). Returns the username and whether it was
   * stored (false when 2FA is already on), or null when the account does not exist.
   */
  async enroll(
    tx: PoolClient,
    accountId: string,
    sealedSecret: string,
  ): Promise<{ username: string; stored: boolean } | null> {
    const { rows } = await tx.query<{ username: string; stored: boolean }>(
      `WITH a AS (SELECT id, username FROM accounts WHERE id = $1),
       up AS (
         INSERT INTO account_totp (account_id, secret) SELECT id, $2 FROM a
         ON CONFLICT (account_id) DO UPDATE SET secret = EXCLUDED.secret, last_used_step = NULL, created_at = now()
         WHERE account_totp.enabled_at IS NULL
         RETURNING account_id)
       SELECT a.username, EXISTS (SELECT 1 FROM up) AS stored FROM a`,
      [accountId, sealedSecret],
    );
    return rows[0] ?? null;
  }

  async find(accountId: string, db: Pool | PoolClient = this.pool): Promise<StoredTotp | null> {
    const { rows } = await db.query<{ secret: string; enabled_at: Date | null }>(
      `SELECT secret, enabled_at FROM account_totp WHERE account_id = $1`,
      [accountId],
    );
    return rows[0] ? { stored: rows[0].secret, enabled: rows[0].enabled_at !== null } : null;
  }

  /**
   * Turns 2FA on with the code of `step`: compare-and-set on last_used_step and on the secret,
   * so a code is used once even by parallel requests, and a re-enrolment meanwhile wins.
   */
  async enable(tx: PoolClient, accountId: string, stored: string, step: number, now: Date): Promise<boolean> {
    const { rowCount } = await tx.query(
      `WITH t AS (
         UPDATE account_totp SET last_used_step = $3, enabled_at = $4
         WHERE account_id = $1 AND secret = $2 AND enabled_at IS NULL
           AND (last_used_step IS NULL OR last_used_step < $3)
         RETURNING account_id)
       UPDATE accounts SET two_factor_enabled = TRUE FROM t WHERE accounts.id = t.account_id`,
      [accountId, stored, step, now],
    );
    return rowCount === 1;
  }

  /** Uses the code of `step` for a login: once per step, never an older step than the last. */
  async consume(accountId: string, stored: string, step: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE account_totp SET last_used_step = $3
       WHERE account_id = $1 AND secret = $2 AND enabled_at IS NOT NULL
         AND (last_used_step IS NULL OR last_used_step < $3)`,
      [accountId, stored, step],
    );
    return rowCount === 1;
  }
}
