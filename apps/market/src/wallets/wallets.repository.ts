import { Injectable } from '@nestjs/common';
import type { Principal, WalletLedgerView, WalletView } from '@trustno1/contracts';
import type { IdempotencyClaim, PrismaDb } from '@trustno1/db';

/** One credit or debit: who asks, for whom, how much (negative: a debit) and why. */
export interface WalletChange {
  principal: Principal;
  claim: IdempotencyClaim | undefined;
  playerId: string;
  currency: string;
  delta: number;
  reason: string;
  reference: string | null;
}

/** The only place of the feature that speaks SQL: one call of the owner's function per operation. */
@Injectable()
export class WalletsRepository {
  async list(db: PrismaDb, principal: Principal, playerId: string): Promise<WalletView[]> {
    const [row] = await db.$queryRaw<{ result: WalletView[] }[]>`
      SELECT market.list_wallets(${JSON.stringify(principal)}::jsonb, ${playerId}::uuid) AS result`;
    return row.result;
  }

  /** market.change_wallet: the idempotency claim, the access check and wallet_move in one call. */
  async change(db: PrismaDb, c: WalletChange): Promise<WalletView> {
    const [row] = await db.$queryRaw<{ result: WalletView }[]>`
      SELECT market.change_wallet(${JSON.stringify(c.principal)}::jsonb, ${c.claim?.key ?? null},
             ${c.claim?.requestHash ?? null}, ${c.playerId}::uuid, ${c.currency}, ${c.delta}::bigint,
             ${c.reason}, ${c.reference}) AS result`;
    return row.result;
  }

  async ledger(
    db: PrismaDb,
    principal: Principal,
    playerId: string,
    currency: string,
    limit: number,
    before: bigint | null,
  ): Promise<WalletLedgerView> {
    const [row] = await db.$queryRaw<{ result: WalletLedgerView }[]>`
      SELECT market.wallet_ledger_page(${JSON.stringify(principal)}::jsonb, ${playerId}::uuid, ${currency},
             ${limit}::int, ${before}::bigint) AS result`;
    return row.result;
  }
}
