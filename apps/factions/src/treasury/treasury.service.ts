import { Inject, Injectable } from '@nestjs/common';
import type {
  FactionLedgerRequest,
  FactionLedgerView,
  FactionTreasuryRequest,
  FactionTreasuryView,
  Principal,
} from '@trustno1/contracts';
import { checkIdempotencyKey, invalidField } from '@trustno1/db';
import { FACTIONS_CONFIG, type FactionsConfig } from '../factions-config';
import type { Caller } from '../membership/membership.repository';
import { TreasuryRepository } from './treasury.repository';

const DEFAULT_LIMIT = 50;

/**
 * The treasury (rule 3). The money checks (permission, funds, the rank's daily limit) are made by
 * the SQL function under the faction row's lock, in the same transaction as both ledgers.
 */
@Injectable()
export class TreasuryService {
  constructor(
    private readonly repository: TreasuryRepository,
    @Inject(FACTIONS_CONFIG) private readonly config: FactionsConfig,
  ) {}

  deposit(c: Caller, r: FactionTreasuryRequest): Promise<FactionTreasuryView> {
    if (c.claim) checkIdempotencyKey(c.claim);
    return this.repository.deposit(c, r.factionId, r.playerId, r.amount);
  }

  withdraw(c: Caller, r: FactionTreasuryRequest): Promise<FactionTreasuryView> {
    if (c.claim) checkIdempotencyKey(c.claim);
    return this.repository.withdraw(c, r.factionId, r.playerId, r.amount, {
      officer: this.config.FACTION_WITHDRAW_LIMIT_OFFICER,
      member: this.config.FACTION_WITHDRAW_LIMIT_MEMBER,
      recruit: this.config.FACTION_WITHDRAW_LIMIT_RECRUIT,
    });
  }

  async ledger(principal: Principal, r: FactionLedgerRequest): Promise<FactionLedgerView> {
    const limit = r.limit ?? DEFAULT_LIMIT;
    if (r.cursor !== undefined && !/^[1-9][0-9]{0,17}$/.test(r.cursor))
      throw invalidField('cursor', 'must be a cursor this route returned');
    const entries = await this.repository.ledger(principal, r.factionId, limit, r.cursor ?? null);
    const last = entries.at(-1);
    return { entries, nextCursor: entries.length === limit && last ? last.id : null };
  }
}
