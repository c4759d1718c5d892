import { Injectable } from '@nestjs/common';
import type { InventoryOwnerType, InventorySummaryView, InventoryView } from '@trustno1/contracts';
import { Prisma, type PrismaDb } from '@trustno1/db';

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

const SUMMARY_COLUMNS = Prisma.sql`id, owner_id AS "ownerId", owner_type::text AS "ownerType", grid_width AS "gridWidth",
  grid_height AS "gridHeight", max_weight AS "maxWeight", COALESCE(locked, false) AS locked`;

@Injectable()
export class InventoriesRepository {
  async insert(tx: PrismaDb, inv: NewInventory): Promise<InventorySummaryView> {
    const [row] = await tx.$queryRaw<InventorySummaryView[]>`
      INSERT INTO inventories (id, owner_id, owner_type, grid_width, grid_height, max_weight, locked, server_id)
      VALUES (${inv.id}::uuid, ${inv.ownerId}::uuid, ${inv.ownerType}::inventory_owner_type, ${inv.gridWidth}::int,
              ${inv.gridHeight}::int, ${inv.maxWeight}::float8, false, ${inv.serverId}::uuid)
      RETURNING ${SUMMARY_COLUMNS}`;
    return row;
  }

  /** The character row a player inventory is created for, and the server it is joined to. */
  async character(db: PrismaDb, playerId: string): Promise<{ serverId: string | null } | null> {
    // accounts.players is read, never written: the grant to tn1_inventory is SELECT only.
    const player = await db.player.findUnique({ where: { id: playerId }, select: { serverId: true } });
    return player ? { serverId: player.serverId } : null;
  }

  /** The inventory with its weight and items (the API's item shape, without inventoryId) in one query. */
  async view(db: PrismaDb, inventoryId: string): Promise<InventoryView | null> {
    const [row] = await db.$queryRaw<InventoryView[]>`
      SELECT ${SUMMARY_COLUMNS}, inventory_weight(inv.id) AS weight,
             COALESCE((SELECT jsonb_agg(inv_item_json(it) - 'inventoryId' ORDER BY it.grid_y, it.grid_x)
                         FROM inventory_items it WHERE it.inventory_id = inv.id), '[]'::jsonb) AS items
        FROM inventories inv
       WHERE inv.id = ${inventoryId}::uuid`;
    return row ?? null;
  }

  /** The id of a character's own inventory (the oldest, should there ever be two). */
  async playerInventoryId(db: PrismaDb, playerId: string): Promise<string | null> {
    const inventory = await db.inventory.findFirst({
      where: { ownerType: 'player', ownerId: playerId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: { id: true },
    });
    return inventory?.id ?? null;
  }

  /**
   * Locking sets the code; unlocking clears it, so a stale code never opens a later lock. A locked
   * inventory changes only when `lockCode` is its code, as a locked vehicle does: false when it
   * matched nothing (no such inventory, or locked with another code).
   */
  async setLock(
    tx: PrismaDb,
    inventoryId: string,
    locked: boolean,
    lockCode: string | null,
  ): Promise<boolean> {
    const { count } = await tx.inventory.updateMany({
      where: {
        id: inventoryId,
        OR: [{ locked: false }, { locked: null }, ...(lockCode === null ? [] : [{ lockCode }])],
      },
      data: { locked, lockCode: locked ? lockCode : null },
    });
    return count === 1;
  }
}
