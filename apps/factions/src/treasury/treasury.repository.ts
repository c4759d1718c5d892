import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { FactionLedgerView, FactionTreasuryView, Principal } from '@trustno1/contracts';
import { PG_POOL } from '@trustno1/db';
import { callerArgs, callFunction } from '../membership/factions-sql';
import type { Caller } from '../membership/membership.repository';

/** The per-rank daily withdraw limits as factions.withdraw takes them. */
export interface WithdrawLimits {
  officer: number;
  member: number;
  recruit: number;
}

/** The only file of the feature that speaks SQL: prisma/sql/factions/04_treasury.sql and the ledger read. */
@Injectable()
export class TreasuryRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  deposit(c: Caller, factionId: string, playerId: string, amount: number): Promise<FactionTreasuryView> {
    return callFunction(
      this.pool,
      'SELECT factions.deposit($1::jsonb, $2, $3, $4, $5::uuid, $6::uuid, $7::bigint) AS r',
      [...callerArgs(c.principal, c.claim), factionId, playerId, amount],
    );
  }

  withdraw(
    c: Caller,
    factionId: string,
    playerId: string,
    amount: number,
    limits: WithdrawLimits,
  ): Promise<FactionTreasuryView> {
    return callFunction(
      this.pool,
      'SELECT factions.withdraw($1::jsonb, $2, $3, $4, $5::uuid, $6::uuid, $7::bigint, $8::jsonb) AS r',
      [...callerArgs(c.principal, c.claim), factionId, playerId, amount, JSON.stringify(limits)],
    );
  }

  ledger(
    principal: Principal,
    factionId: string,
    limit: number,
    beforeId: string | null,
  ): Promise<FactionLedgerView['entries']> {
    return callFunction(
      this.pool,
      'SELECT factions.list_ledger($1::jsonb, $2::uuid, $3::int, $4::bigint) AS r',
      [JSON.stringify(principal), factionId, limit, beforeId],
    );
  }
}
