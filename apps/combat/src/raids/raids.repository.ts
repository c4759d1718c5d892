import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { CloseIdleRaidsView, RaidView, StructureDamagedEvent } from '@trustno1/contracts';
import { PrismaClient } from '@trustno1/db';

/** What record_raid_damage did with one structure-damaged event. */
export interface RecordedRaidDamage {
  raidId: string | null;
  opened: boolean;
  ignored: boolean;
}

export interface RaidFilter {
  factionId: string | null;
  structureId: string | null;
  active: boolean | null;
  /** The factions a player may see; null for servers and admins. */
  visible: string[] | null;
  limit: number;
}

/** SQL of raids: every call is one function of prisma/sql/combat/03_raids.sql. */
@Injectable()
export class RaidsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** In the consumer's transaction, which also marks the event processed. */
  async recordDamage(tx: PoolClient, event: StructureDamagedEvent): Promise<RecordedRaidDamage> {
    const { rows } = await tx.query<{ r: RecordedRaidDamage }>(
      'SELECT combat.record_raid_damage($1::jsonb) AS r',
      [JSON.stringify(event)],
    );
    return rows[0].r;
  }

  async closeIdle(now: Date, idleMinutes: number, limit: number): Promise<CloseIdleRaidsView> {
    const [row] = await this.prisma.$queryRaw<{ r: CloseIdleRaidsView }[]>`
      SELECT combat.close_idle_raids(${now}::timestamptz, ${idleMinutes}::float8, ${limit}::int) AS r`;
    return row.r;
  }

  async list(f: RaidFilter): Promise<RaidView[]> {
    const [row] = await this.prisma.$queryRaw<{ r: RaidView[] }[]>`
      SELECT combat.list_raids(${f.factionId}::uuid, ${f.structureId}::uuid, ${f.active}::boolean,
                               ${f.visible}::uuid[], ${f.limit}::int) AS r`;
    return row.r;
  }

  async get(id: string): Promise<RaidView | undefined> {
    const [row] = await this.prisma.$queryRaw<{ r: RaidView | null }[]>`
      SELECT combat.raid_json(${id}::uuid) AS r`;
    return row?.r ?? undefined;
  }

  /** The factions of an account's characters. */
  async accountFactions(accountId: string): Promise<string[]> {
    const [row] = await this.prisma.$queryRaw<{ r: string[] }[]>`
      SELECT combat.account_factions(${accountId}::uuid) AS r`;
    return row.r;
  }
}
