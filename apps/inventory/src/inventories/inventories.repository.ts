import { Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { InventoryOwnerType, InventorySummaryView, InventoryView } from '@trustno1/contracts';

export interface NewInventory {
  id: string;
  ownerId: string;
  ownerType: InventoryOwnerType;
  gridWidth: number;
  gridHeight: number;
  maxWeight: number | null;
  /** Whose active-items count the items take: the creating server for world inventories. */
  serverId: string | null;
}

const SUMMARY_COLUMNS = `id, owner_id AS "ownerId", owner_type AS "ownerType", grid_width AS "gridWidth",
  grid_height AS "gridHeight", max_weight AS "maxWeight", COALESCE(locked, false) AS locked`;

/** The inventory with its weight and items (the API's item shape, without inventoryId) in one query. */
const VIEW_SQL = (where: string) => `
  SELECT ${SUMMARY_COLUMNS}, inventory_weight(inv.id) AS weight,
         COALESCE((SELECT jsonb_agg(inv_item_json(it) - 'inventoryId' ORDER BY it.grid_y, it.grid_x)
                     FROM inventory_items it WHERE it.inventory_id = inv.id), '[]'::jsonb) AS items
    FROM inventories inv
   WHERE ${where}`;

@Injectable()
export class InventoriesRepository {
  async insert(tx: PoolClient, inv: NewInventory): Promise<InventorySummaryView> {
    const { rows } = await tx.query<InventorySummaryView>(
      `INSERT INTO inventories (id, owner_id, owner_type, grid_width, grid_height, max_weight, locked, server_id)
       VALUES ($1, $2, $3, $4, $5, $6, false, $7)
       RETURNING ${SUMMARY_COLUMNS}`,
      [inv.id, inv.ownerId, inv.ownerType, inv.gridWidth, inv.gridHeight, inv.maxWeight, inv.serverId],
    );
    return rows[0];
  }

  /** The character row a player inventory is created for, and the server it is joined to. */
  async character(db: Pool | PoolClient, playerId: string): Promise<{ serverId: string | null } | null> {
    const { rows } = await db.query<{ server_id: string | null }>(
      `SELECT server_id FROM accounts.players WHERE id = $1`,
      [playerId],
    );
    return rows[0] ? { serverId: rows[0].server_id } : null;
  }

  async view(db: Pool | PoolClient, inventoryId: string): Promise<InventoryView | null> {
    const { rows } = await db.query<InventoryView>(VIEW_SQL('inv.id = $1'), [inventoryId]);
    return rows[0] ?? null;
  }

  /** The id of a character's own inventory (the oldest, should there ever be two). */
  async playerInventoryId(db: Pool | PoolClient, playerId: string): Promise<string | null> {
    const { rows } = await db.query<{ id: string }>(
      `SELECT id FROM inventories WHERE owner_type = 'player' AND owner_id = $1 ORDER BY created_at, id LIMIT 1`,
      [playerId],
    );
    return rows[0]?.id ?? null;
  }

  /** Locking sets the code; unlocking clears it, so a stale code never opens a later lock. */
  async setLock(
    tx: PoolClient,
    inventoryId: string,
    locked: boolean,
    lockCode: string | null,
  ): Promise<boolean> {
    const result = await tx.query(
      `UPDATE inventories SET locked = $2, lock_code = CASE WHEN $2 THEN $3 ELSE NULL END WHERE id = $1`,
      [inventoryId, locked, lockCode],
    );
    return result.rowCount === 1;
  }
}
