import { Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { CorpseCleanupView, CorpseView } from '@trustno1/contracts';

/** create_corpse and cleanup_corpses (20261125030000_inventory_loot_corpses) and the corpse view. */
@Injectable()
export class CorpsesRepository {
  /** The character's joined server, or undefined when there is no such character. */
  async playerServer(db: Pool | PoolClient, playerId: string): Promise<string | null | undefined> {
    const { rows } = await db.query<{ server_id: string | null }>(
      `SELECT server_id FROM accounts.players WHERE id = $1`,
      [playerId],
    );
    return rows.length === 0 ? undefined : rows[0].server_id;
  }

  async create(
    tx: PoolClient,
    playerId: string,
    position: { x: number; y: number; z: number },
    reference: string,
    expiresAt: Date,
  ): Promise<CorpseView> {
    const { rows } = await tx.query<{ id: string }>(`SELECT create_corpse($1, $2::jsonb, $3, $4) AS id`, [
      playerId,
      JSON.stringify(position),
      reference,
      expiresAt,
    ]);
    // A second statement: the first one's snapshot does not see the rows the procedure wrote.
    const view = await tx.query<CorpseView>(
      `SELECT c.inventory_id AS "inventoryId", c.player_id AS "playerId", c.position, c.chunk_x AS "chunkX",
              c.chunk_z AS "chunkZ", c.expires_at AS "expiresAt",
              (SELECT count(*)::int FROM inventory_items i WHERE i.inventory_id = c.inventory_id) AS items
         FROM corpses c WHERE c.inventory_id = $1`,
      [rows[0].id],
    );
    return view.rows[0];
  }

  async cleanup(tx: PoolClient, now: Date, limit: number): Promise<CorpseCleanupView> {
    const { rows } = await tx.query<{ r: CorpseCleanupView }>(`SELECT cleanup_corpses($1, $2) AS r`, [
      now,
      limit,
    ]);
    return rows[0].r;
  }
}
