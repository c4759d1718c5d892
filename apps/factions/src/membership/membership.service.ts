import { Inject, Injectable } from '@nestjs/common';
import type {
  FactionInviteView,
  FactionListView,
  FactionMemberView,
  FactionView,
  FactionWithMembersView,
  ListFactionsRequest,
  Principal,
  UpdateFactionMemberRequest,
  UpdateFactionRequest,
} from '@trustno1/contracts';
import { checkIdempotencyKey, invalidField, type IdempotencyClaim } from '@trustno1/db';
import { FACTIONS_CONFIG, type FactionsConfig } from '../factions-config';
import { MembershipRepository, type Caller } from './membership.repository';

const DEFAULT_LIMIT = 20;

/**
 * Factions and their members. Every rule (who may act for whom, rank and permission checks, the
 * member limit, one faction per character) is checked by the operation's SQL function in the
 * same statement as the change; this service shapes the calls and the pages.
 */
@Injectable()
export class MembershipService {
  constructor(
    private readonly repository: MembershipRepository,
    @Inject(FACTIONS_CONFIG) private readonly config: FactionsConfig,
  ) {}

  create(
    c: Caller,
    r: { founderId: string; name: string; tag: string; description?: string; color?: string },
  ): Promise<FactionWithMembersView> {
    return this.repository.create(claimed(c), {
      founderId: r.founderId,
      name: r.name,
      tag: r.tag,
      description: r.description ?? null,
      color: r.color ?? null,
    });
  }

  update(c: Caller, r: UpdateFactionRequest): Promise<FactionView> {
    const { factionId, byPlayerId, ...changes } = r;
    return this.repository.update(claimed(c), factionId, byPlayerId, changes);
  }

  invite(
    c: Caller,
    r: { factionId: string; byPlayerId: string; playerId: string },
  ): Promise<FactionInviteView> {
    return this.repository.invite(
      claimed(c),
      r.factionId,
      r.byPlayerId,
      r.playerId,
      this.config.FACTION_INVITE_TTL_HOURS,
    );
  }

  withdrawInvite(c: Caller, r: { factionId: string; byPlayerId: string; playerId: string }): Promise<null> {
    return this.repository.withdrawInvite(claimed(c), r.factionId, r.byPlayerId, r.playerId);
  }

  join(c: Caller, r: { factionId: string; playerId: string }): Promise<FactionMemberView> {
    return this.repository.join(claimed(c), r.factionId, r.playerId);
  }

  leave(c: Caller, r: { factionId: string; playerId: string }): Promise<null> {
    return this.repository.leave(claimed(c), r.factionId, r.playerId);
  }

  kick(c: Caller, r: { factionId: string; byPlayerId: string; playerId: string }): Promise<null> {
    return this.repository.kick(claimed(c), r.factionId, r.byPlayerId, r.playerId);
  }

  updateMember(c: Caller, r: UpdateFactionMemberRequest): Promise<FactionMemberView> {
    return this.repository.updateMember(claimed(c), {
      factionId: r.factionId,
      byPlayerId: r.byPlayerId,
      playerId: r.playerId,
      rank: r.rank ?? null,
      permissions: r.permissions ?? null,
    });
  }

  handOver(
    c: Caller,
    r: { factionId: string; byPlayerId: string; playerId: string },
  ): Promise<FactionWithMembersView> {
    return this.repository.handOver(claimed(c), r.factionId, r.byPlayerId, r.playerId);
  }

  disband(c: Caller, r: { factionId: string; byPlayerId: string }): Promise<null> {
    return this.repository.disband(claimed(c), r.factionId, r.byPlayerId);
  }

  get(principal: Principal, factionId: string): Promise<FactionWithMembersView> {
    return this.repository.get(principal, factionId);
  }

  async list(r: ListFactionsRequest): Promise<FactionListView> {
    const limit = r.limit ?? DEFAULT_LIMIT;
    const factions = await this.repository.list(
      r.search ?? null,
      limit,
      r.cursor ? decodeCursor(r.cursor) : null,
    );
    const last = factions.at(-1);
    return {
      factions,
      nextCursor: factions.length === limit && last ? encodeCursor({ name: last.name, id: last.id }) : null,
    };
  }
}

/** The claim's key length is checked before any database work (400 naming Idempotency-Key). */
function claimed(c: { principal: Principal; claim: IdempotencyClaim | undefined }): Caller {
  if (c.claim) checkIdempotencyKey(c.claim);
  return c;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The list's keyset cursor: the last row's name and id, base64url JSON. */
export function encodeCursor(after: { name: string; id: string }): string {
  return Buffer.from(JSON.stringify([after.name, after.id])).toString('base64url');
}

export function decodeCursor(cursor: string): { name: string; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      value[0].length <= 64 &&
      typeof value[1] === 'string' &&
      UUID.test(value[1])
    )
      return { name: value[0], id: value[1] };
  } catch {
    // falls through to the refusal
  }
  throw invalidField('cursor', 'must be a cursor this route returned');
}
