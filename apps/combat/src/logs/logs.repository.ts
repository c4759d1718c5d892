import { Injectable } from '@nestjs/common';
import { PrismaClient } from '@trustno1/db';

export interface CombatLogRow {
  id: string;
  attacker_id: string | null;
  victim_id: string | null;
  weapon_id: string | null;
  ammo_type: string | null;
  damage: number;
  hit_location: string;
  distance: number | null;
  headshot: boolean | null;
  killing_blow: boolean | null;
  position_attacker: { x: number; y: number; z: number } | null;
  position_victim: { x: number; y: number; z: number } | null;
  created_at: Date;
  /** created_at in microseconds since the epoch (text): the keyset, exact. */
  created_us: string;
}

export interface LogsPage {
  playerId: string | null;
  from: Date | null;
  to: Date | null;
  /** The last row of the previous page: older rows only. */
  after: { us: string; id: string } | null;
  limit: number;
}

/** The only place of the feature that speaks SQL: one keyset-paged read of combat_logs. */
@Injectable()
export class LogsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  page(p: LogsPage): Promise<CombatLogRow[]> {
    return this.prisma.$queryRaw<CombatLogRow[]>`
      SELECT id, attacker_id, victim_id, weapon_id, ammo_type, damage, hit_location::text AS hit_location,
             distance, headshot, killing_blow, position_attacker, position_victim, created_at,
             ((extract(epoch FROM created_at) * 1000000)::bigint)::text AS created_us
        FROM combat.combat_logs
       WHERE (${p.playerId}::uuid IS NULL OR attacker_id = ${p.playerId}::uuid OR victim_id = ${p.playerId}::uuid)
         AND (${p.from}::timestamptz IS NULL OR created_at >= ${p.from}::timestamptz)
         AND (${p.to}::timestamptz IS NULL OR created_at < ${p.to}::timestamptz)
         AND (${p.after?.us ?? null}::bigint IS NULL
              OR (created_at, id) < ('epoch'::timestamptz + (${p.after?.us ?? null}::bigint * interval '1 microsecond'),
                                     ${p.after?.id ?? null}::uuid))
       ORDER BY created_at DESC, id DESC
       LIMIT ${p.limit}::int`;
  }

  async serverOf(playerId: string): Promise<{ serverId: string | null } | null> {
    return this.prisma.player.findUnique({ where: { id: playerId }, select: { serverId: true } });
  }
}
