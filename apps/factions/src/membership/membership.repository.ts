import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type {
  FactionInviteView,
  FactionListView,
  FactionMemberView,
  FactionView,
  FactionWithMembersView,
  Principal,
} from '@trustno1/contracts';
import { PG_POOL, type IdempotencyClaim } from '@trustno1/db';
import { callerArgs, callFunction } from './factions-sql';

/** Who calls, with which claim: the first arguments of every changing call. */
export interface Caller {
  principal: Principal;
  claim: IdempotencyClaim | undefined;
}

/** The only file of the feature that speaks SQL: one function of prisma/sql/factions/ per operation. */
@Injectable()
export class MembershipRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  create(
    c: Caller,
    f: { founderId: string; name: string; tag: string; description: string | null; color: string | null },
  ): Promise<FactionWithMembersView> {
    return callFunction(
      this.pool,
      'SELECT factions.create_faction($1::jsonb, $2, $3, $4, $5::uuid, $6, $7, $8, $9) AS r',
      [...callerArgs(c.principal, c.claim), f.founderId, f.name, f.tag, f.description, f.color],
    );
  }

  update(
    c: Caller,
    factionId: string,
    byPlayerId: string,
    changes: Record<string, unknown>,
  ): Promise<FactionView> {
    return callFunction(
      this.pool,
      'SELECT factions.update_faction($1::jsonb, $2, $3, $4, $5::uuid, $6::uuid, $7::jsonb) AS r',
      [...callerArgs(c.principal, c.claim), factionId, byPlayerId, JSON.stringify(changes)],
    );
  }

  invite(
    c: Caller,
    factionId: string,
    byPlayerId: string,
    playerId: string,
    ttlHours: number,
  ): Promise<FactionInviteView> {
    return callFunction(
      this.pool,
      'SELECT factions.invite_player($1::jsonb, $2, $3, $4, $5::uuid, $6::uuid, $7::uuid, $8::int) AS r',
      [...callerArgs(c.principal, c.claim), factionId, byPlayerId, playerId, ttlHours],
    );
  }

  async withdrawInvite(c: Caller, factionId: string, byPlayerId: string, playerId: string): Promise<null> {
    await callFunction(
      this.pool,
      'SELECT factions.withdraw_invite($1::jsonb, $2, $3, $4, $5::uuid, $6::uuid, $7::uuid) AS r',
      [...callerArgs(c.principal, c.claim), factionId, byPlayerId, playerId],
    );
    return null;
  }

  join(c: Caller, factionId: string, playerId: string): Promise<FactionMemberView> {
    return callFunction(
      this.pool,
      'SELECT factions.join_faction($1::jsonb, $2, $3, $4, $5::uuid, $6::uuid) AS r',
      [...callerArgs(c.principal, c.claim), factionId, playerId],
    );
  }

  async leave(c: Caller, factionId: string, playerId: string): Promise<null> {
    await callFunction(
      this.pool,
      'SELECT factions.leave_faction($1::jsonb, $2, $3, $4, $5::uuid, $6::uuid) AS r',
      [...callerArgs(c.principal, c.claim), factionId, playerId],
    );
    return null;
  }

  async kick(c: Caller, factionId: string, byPlayerId: string, playerId: string): Promise<null> {
    await callFunction(
      this.pool,
      'SELECT factions.kick_member($1::jsonb, $2, $3, $4, $5::uuid, $6::uuid, $7::uuid) AS r',
      [...callerArgs(c.principal, c.claim), factionId, byPlayerId, playerId],
    );
    return null;
  }

  updateMember(
    c: Caller,
    m: {
      factionId: string;
      byPlayerId: string;
      playerId: string;
      rank: string | null;
      permissions: string[] | null;
    },
  ): Promise<FactionMemberView> {
    return callFunction(
      this.pool,
      'SELECT factions.update_member($1::jsonb, $2, $3, $4, $5::uuid, $6::uuid, $7::uuid, $8, $9::jsonb) AS r',
      [
        ...callerArgs(c.principal, c.claim),
        m.factionId,
        m.byPlayerId,
        m.playerId,
        m.rank,
        m.permissions === null ? null : JSON.stringify(m.permissions),
      ],
    );
  }

  handOver(
    c: Caller,
    factionId: string,
    byPlayerId: string,
    playerId: string,
  ): Promise<FactionWithMembersView> {
    return callFunction(
      this.pool,
      'SELECT factions.hand_over($1::jsonb, $2, $3, $4, $5::uuid, $6::uuid, $7::uuid) AS r',
      [...callerArgs(c.principal, c.claim), factionId, byPlayerId, playerId],
    );
  }

  async disband(c: Caller, factionId: string, byPlayerId: string): Promise<null> {
    await callFunction(
      this.pool,
      'SELECT factions.disband_faction($1::jsonb, $2, $3, $4, $5::uuid, $6::uuid) AS r',
      [...callerArgs(c.principal, c.claim), factionId, byPlayerId],
    );
    return null;
  }

  get(principal: Principal, factionId: string): Promise<FactionWithMembersView> {
    return callFunction(this.pool, 'SELECT factions.get_faction($1::jsonb, $2::uuid) AS r', [
      JSON.stringify(principal),
      factionId,
    ]);
  }

  list(
    search: string | null,
    limit: number,
    after: { name: string; id: string } | null,
  ): Promise<FactionListView['factions']> {
    return callFunction(this.pool, 'SELECT factions.list_factions($1, $2::int, $3, $4::uuid) AS r', [
      search,
      limit,
      after?.name ?? null,
      after?.id ?? null,
    ]);
  }
}
