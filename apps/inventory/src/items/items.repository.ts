import { Injectable } from '@nestjs/common';
import type {
  ConsumeItemView,
  ItemView,
  LedgerEntryView,
  MoveItemView,
  Principal,
} from '@trustno1/contracts';
import type { IdempotencyClaim, PrismaDb } from '@trustno1/db';

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
  fromLockCode: string | null;
  toLockCode: string | null;
  reason: string;
}

/** One inventory.consume_item call: the caller, its idempotency claim and the request. */
export interface Consume {
  principal: Principal;
  claim: IdempotencyClaim | undefined;
  itemId: string;
  fromInventoryId: string | null;
  quantity: number;
  reason: string;
}

/**
 * The procedures are the only writers of items (docs/database.md); they are called here through
 * the shared Prisma client (`$queryRaw`, parameterised), inside the caller's transaction when
 * one spans statements.
 */
@Injectable()
export class ItemsRepository {
  /** The inventory an item is in now, or null when there is no such item. */
  async inventoryOf(db: PrismaDb, itemId: string): Promise<string | null> {
    const item = await db.inventoryItem.findUnique({ where: { id: itemId }, select: { inventoryId: true } });
    return item?.inventoryId ?? null;
  }

  async add(tx: PrismaDb, item: NewItem): Promise<ItemView> {
    const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
    const [row] = await tx.$queryRaw<{ item: ItemView }[]>`
      SELECT inv_item_json(add_item(${item.inventoryId}::uuid, ${item.templateId}, ${item.quantity}::int,
             ${item.gridX}::int, ${item.gridY}::int, ${item.durability}::float8, ${json(item.attachments)}::jsonb,
             ${json(item.customData)}::jsonb, ${item.reason}, ${item.reference})) AS item`;
    return row.item;
  }

  /**
   * The whole move in one statement: idempotency record, locks, the server's access to both
   * inventories under those locks, the change and the stored response (a replay returns it).
   */
  async move(db: PrismaDb, m: Move): Promise<MoveItemView> {
    const [row] = await db.$queryRaw<{ result: MoveItemView }[]>`
      SELECT inventory.move_item(${JSON.stringify(m.principal)}::jsonb, ${m.claim?.key ?? null},
             ${m.claim?.requestHash ?? null}, ${m.itemId}::uuid, ${m.toInventoryId}::uuid, ${m.gridX}::int,
             ${m.gridY}::int, ${m.quantity}::int, ${m.fromLockCode}, ${m.toLockCode}, ${m.fromInventoryId}::uuid,
             ${m.reason}) AS result`;
    return row.result;
  }

  /** The whole consume in one statement, like the move: idempotency, lock, access, change, ledger. */
  async consume(db: PrismaDb, c: Consume): Promise<ConsumeItemView> {
    const [row] = await db.$queryRaw<{ result: ConsumeItemView }[]>`
      SELECT inventory.consume_item(${JSON.stringify(c.principal)}::jsonb, ${c.claim?.key ?? null},
             ${c.claim?.requestHash ?? null}, ${c.itemId}::uuid, ${c.quantity}::int, ${c.fromInventoryId}::uuid,
             ${c.reason}) AS result`;
    return row.result;
  }

  /**
   * Destroys and returns the inventory the item was taken from (its ledger row, written by this
   * very call), so the caller can check it is the one it authorised and roll back otherwise.
   */
  async destroy(tx: PrismaDb, itemId: string, quantity: number | null, reason: string, reference: string) {
    await tx.$queryRaw`SELECT destroy_item(${itemId}::uuid, ${quantity}::int, ${reason}, ${reference})::text`;
    // A second statement: one statement's snapshot would not see the row the procedure wrote.
    const ledger = await tx.itemLedger.findFirst({
      where: { itemId, operation: 'destroy' },
      orderBy: { id: 'desc' },
      select: { fromInventoryId: true },
    });
    return ledger?.fromInventoryId ?? null;
  }

  /** The inventory an item was last seen in by the ledger (for the history of a destroyed item). */
  async lastLedgerInventory(db: PrismaDb, itemId: string): Promise<string | null> {
    const last = await db.itemLedger.findFirst({
      where: { OR: [{ itemId }, { relatedItemId: itemId }] },
      orderBy: { id: 'desc' },
      select: { toInventoryId: true, fromInventoryId: true },
    });
    return last ? (last.toInventoryId ?? last.fromInventoryId) : null;
  }

  /** The item's ledger rows, oldest first, including the splits taken from it and merges into it. */
  async history(db: PrismaDb, itemId: string): Promise<LedgerEntryView[]> {
    const rows = await db.itemLedger.findMany({
      where: { OR: [{ itemId }, { relatedItemId: itemId }] },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map((r): LedgerEntryView => ({
      id: r.id.toString(),
      itemId: r.itemId,
      templateId: r.templateId,
      fromInventoryId: r.fromInventoryId,
      toInventoryId: r.toInventoryId,
      quantity: r.quantity,
      operation: r.operation,
      relatedItemId: r.relatedItemId,
      reason: r.reason,
      reference: r.reference,
      createdAt: r.createdAt.toISOString(),
    }));
  }
}
