import { Injectable } from '@nestjs/common';
import type { ApplyHitsView, Hit, Principal, RespawnView } from '@trustno1/contracts';
import type { IdempotencyClaim, PrismaDb } from '@trustno1/db';

/** One combat.apply_hits call: the caller, its idempotency claim, the hits and the rules. */
export interface HitBatch {
  principal: Principal;
  claim: IdempotencyClaim | undefined;
  hits: Hit[];
  maxDamage: number;
  corpseTtlSeconds: number;
}

/** The characters a combat state or respawn is about: who owns them and where they are joined. */
export interface PlayerAccess {
  accountId: string | null;
  serverId: string | null;
}

/** The only place of the feature that speaks SQL: one call of the owner's function per batch. */
@Injectable()
export class HitsRepository {
  /**
   * The whole batch in one statement: idempotency record, the locks of every player involved,
   * the joined-to-this-server checks, each hit in order, the logs, the stats, and on a killing
   * blow the corpse, the death mark and the kill event.
   */
  async apply(db: PrismaDb, b: HitBatch): Promise<ApplyHitsView> {
    const [row] = await db.$queryRaw<{ result: ApplyHitsView }[]>`
      SELECT combat.apply_hits(${JSON.stringify(b.principal)}::jsonb, ${b.claim?.key ?? null},
             ${b.claim?.requestHash ?? null}, ${JSON.stringify(b.hits)}::jsonb, ${b.maxDamage}::float8,
             ${b.corpseTtlSeconds}::int) AS result`;
    return row.result;
  }

  /** One combat.respawn call: idempotency, lock, checks (joined here, dead) and the change. */
  async respawn(
    db: PrismaDb,
    principal: Principal,
    claim: IdempotencyClaim | undefined,
    playerId: string,
    position: { x: number; y: number; z: number },
  ): Promise<RespawnView> {
    const [row] = await db.$queryRaw<{ result: RespawnView }[]>`
      SELECT combat.respawn(${JSON.stringify(principal)}::jsonb, ${claim?.key ?? null}, ${claim?.requestHash ?? null},
             ${playerId}::uuid, ${JSON.stringify(position)}::jsonb) AS result`;
    return row.result;
  }

  async access(db: PrismaDb, playerId: string): Promise<PlayerAccess | null> {
    return db.player.findUnique({ where: { id: playerId }, select: { accountId: true, serverId: true } });
  }
}
