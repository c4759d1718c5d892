import { Injectable } from '@nestjs/common';
import type { CorpseCleanupView, CorpseView } from '@trustno1/contracts';
import type { PrismaDb } from '@trustno1/db';

/** create_corpse and cleanup_corpses (20261125030000_inventory_loot_corpses) and the corpse view. */
@Injectable()
export class CorpsesRepository {
  /** The character's joined server, or undefined when there is no such character. */
  async playerServer(db: PrismaDb, playerId: string): Promise<string | null | undefined> {
    const player = await db.player.findUnique({ where: { id: playerId }, select: { serverId: true } });
    return player === null ? undefined : player.serverId;
  }

  async create(
    tx: PrismaDb,
    playerId: string,
    position: { x: number; y: number; z: number },
    reference: string,
    expiresAt: Date,
  ): Promise<CorpseView> {
    const [created] = await tx.$queryRaw<{ id: string }[]>`
      SELECT create_corpse(${playerId}::uuid, ${JSON.stringify(position)}::jsonb, ${reference}, ${expiresAt}::timestamptz)::text AS id`;
    // A second statement: the first one's snapshot does not see the rows the procedure wrote.
    const [view] = await tx.$queryRaw<(Omit<CorpseView, 'expiresAt'> & { expiresAt: Date })[]>`
      SELECT c.inventory_id::text AS "inventoryId", c.player_id::text AS "playerId", c.position,
             c.chunk_x AS "chunkX", c.chunk_z AS "chunkZ", c.expires_at AS "expiresAt",
             (SELECT count(*)::int FROM inventory_items i WHERE i.inventory_id = c.inventory_id) AS items
        FROM corpses c WHERE c.inventory_id = ${created.id}::uuid`;
    return { ...view, expiresAt: view.expiresAt.toISOString() };
  }

  async cleanup(tx: PrismaDb, now: Date, limit: number): Promise<CorpseCleanupView> {
    const [row] = await tx.$queryRaw<{ r: CorpseCleanupView }[]>`
      SELECT cleanup_corpses(${now}::timestamptz, ${limit}::int) AS r`;
    return row.r;
  }
}
