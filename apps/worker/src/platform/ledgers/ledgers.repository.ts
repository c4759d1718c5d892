import { Injectable } from '@nestjs/common';
import { PrismaClient } from '@trustno1/db';

export interface LedgerCheck {
  mismatches: number;
  firstMismatch: Record<string, unknown> | null;
}

/** The owners' published checks (inventory.verify_item_ledger, market.verify_wallet_ledger). */
@Injectable()
export class LedgersRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async items(): Promise<LedgerCheck> {
    const [row] = await this.prisma.$queryRaw<
      { mismatches: number; first: Record<string, unknown> | null }[]
    >`
      SELECT mismatches, first_mismatch AS first FROM inventory.verify_item_ledger()`;
    return { mismatches: row.mismatches, firstMismatch: row.first };
  }

  async wallets(): Promise<LedgerCheck> {
    const [row] = await this.prisma.$queryRaw<
      { mismatches: number; first: Record<string, unknown> | null }[]
    >`
      SELECT mismatches, first_mismatch AS first FROM market.verify_wallet_ledger()`;
    return { mismatches: row.mismatches, firstMismatch: row.first };
  }
}
