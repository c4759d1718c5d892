import { Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { ItemView, LedgerEntryView, MoveItemView, Principal } from '@trustno1/contracts';
import type { IdempotencyClaim } from '@trustno1/db';

export interface NewItem {
  inventoryId: string;
  templateId: string;
  quantity: number;
  gridX: number | null;
  gridY: number | null;
  durability: number | null;
  attachments: unknown;
  customData: unknown;
  reason: string;
  reference: string;
}

/** One inventory.move_item call: the caller, its idempotency claim and the request. */
export interface Move {
  principal: Principal;
  claim: IdempotencyClaim | undefined;
  itemId: string;
  toInventoryId: string;
  fromInventoryId: string | null;
  gridX: number;
  gridY: number;
  quantity: number | null;
  lockCode: string | null;
  reason: string;
}

/**
 * The procedures are the only writers of items (docs/database.md); they are called here through
 * the caller's transaction client, never bare pool.query (a failed bare call costs a backend).
 */
@Injectable()
export class ItemsRepository {
  /** The inventory an item is in now, or null when there is no such item. */
  async inventoryOf(db: Pool | PoolClient, itemId: string): Promise<string | null> {
    const { rows } = await db.query<{ inventory_id: string | null }>(
      `SELECT inventory_id FROM inventory_items WHERE id = $1`,
      [itemId],
    );
    return rows[0]?.inventory_id ?? null;
  }

  async add(tx: PoolClient, item: NewItem): Promise<ItemView> {
    const { rows } = await tx.query<{ item: ItemView }>(
      `SELECT inv_item_json(add_item($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9, $10)) AS item`,
      [
        item.inventoryId,
        item.templateId,
        item.quantity,
        item.gridX,
        item.gridY,
        item.durability,
        item.attachments === undefined ? null : JSON.stringify(item.attachments),
        item.customData === undefined ? null : JSON.stringify(item.customData),
        item.reason,
        item.reference,
      ],
    );
    return rows[0].item;
  }

  /**
   * The whole move in one statement: idempotency record, locks, the server's access to both
   * inventories under those locks, the change and the stored response (a replay returns it).
   */
  async move(db: PoolClient, m: Move): Promise<MoveItemView> {
    const { rows } = await db.query<{ result: MoveItemView }>(
      `SELECT inventory.move_item($1::jsonb, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) AS result`,
      [
        JSON.stringify(m.principal),
        m.claim?.key ?? null,
        m.claim?.requestHash ?? null,
        m.itemId,
        m.toInventoryId,
        m.gridX,
        m.gridY,
        m.quantity,
        m.lockCode,
        m.fromInventoryId,
        m.reason,
      ],
    );
    return rows[0].result;
  }

  /**
   * Destroys and returns the inventory the item was taken from (its ledger row, written by this
   * very call), so the caller can check it is the one it authorised and roll back otherwise.
   */
  async destroy(tx: PoolClient, itemId: string, quantity: number | null, reason: string, reference: string) {
    await tx.query(`SELECT destroy_item($1, $2, $3, $4)`, [itemId, quantity, reason, reference]);
    // A second statement: one statement's snapshot would not see the row the procedure wrote.
    const { rows } = await tx.query<{ from_inventory_id: string }>(
      `SELECT from_inventory_id FROM item_ledger
        WHERE item_id = $1 AND operation = 'destroy' ORDER BY id DESC LIMIT 1`,
      [itemId],
    );
    return rows[0]?.from_inventory_id ?? null;
  }

  /** The inventory an item was last seen in by the ledger (for the history of a destroyed item). */
  async lastLedgerInventory(db: Pool | PoolClient, itemId: string): Promise<string | null> {
    const { rows } = await db.query<{ inventory_id: string | null }>(
      `SELECT COALESCE(to_inventory_id, from_inventory_id) AS inventory_id FROM item_ledger
        WHERE item_id = $1 OR related_item_id = $1 ORDER BY id DESC LIMIT 1`,
      [itemId],
    );
    return rows[0]?.inventory_id ?? null;
  }

  /** The item's ledger rows, oldest first, including the splits taken from it and merges into it. */
  async history(db: Pool | PoolClient, itemId: string): Promise<LedgerEntryView[]> {
    const { rows } = await db.query<LedgerEntryView>(
      `SELECT id::text, item_id AS "itemId", template_id AS "templateId",
              from_inventory_id AS "fromInventoryId", to_inventory_id AS "toInventoryId", quantity, operation,
              related_item_id AS "relatedItemId", reason, reference, created_at AS "createdAt"
         FROM item_ledger
        WHERE item_id = $1 OR related_item_id = $1
        ORDER BY created_at, id`,
      [itemId],
    );
    return rows;
  }
}
