import { Injectable } from '@nestjs/common';
import type {
  Principal,
  WalletChangeRequest,
  WalletLedgerRequest,
  WalletLedgerView,
  WalletView,
} from '@trustno1/contracts';
import {
  checkIdempotencyKey,
  invalidField,
  mapProcedureErrors,
  prismaStatement,
  PrismaClient,
  type IdempotencyClaim,
} from '@trustno1/db';
import { WalletsRepository } from './wallets.repository';

const LEDGER_PAGE_DEFAULT = 50;

@Injectable()
export class WalletsService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly repository: WalletsRepository,
  ) {}

  list(principal: Principal, playerId: string): Promise<WalletView[]> {
    return mapProcedureErrors(() =>
      prismaStatement(() => this.repository.list(this.prisma, principal, playerId)),
    );
  }

  /** A credit (`sign` 1) or a debit (-1): one round trip, retried on deadlock or serialization failure. */
  change(
    principal: Principal,
    req: WalletChangeRequest,
    sign: 1 | -1,
    claim: IdempotencyClaim | undefined,
  ): Promise<WalletView> {
    if (claim) checkIdempotencyKey(claim);
    return mapProcedureErrors(() =>
      prismaStatement(() =>
        this.repository.change(this.prisma, {
          principal,
          claim,
          playerId: req.playerId,
          currency: req.currency,
          delta: sign * req.amount,
          reason: req.reason,
          reference: req.reference ?? null,
        }),
      ),
    );
  }

  ledger(principal: Principal, req: WalletLedgerRequest): Promise<WalletLedgerView> {
    const before = req.cursor === undefined ? null : ledgerCursor(req.cursor);
    return mapProcedureErrors(() =>
      prismaStatement(() =>
        this.repository.ledger(
          this.prisma,
          principal,
          req.playerId,
          req.currency,
          req.limit ?? LEDGER_PAGE_DEFAULT,
          before,
        ),
      ),
    );
  }
}

/** The ledger's cursor is the last row's id. */
export function ledgerCursor(cursor: string): bigint {
  if (!/^[1-9][0-9]{0,18}$/.test(cursor))
    throw invalidField('cursor', 'must be a cursor this route returned');
  return BigInt(cursor);
}
