/** Thin callers of the inventory procedures and the invariant checks the SQL specs share. */
import assert from 'node:assert/strict';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { inventoryErrorOf, type InventoryErrorCode } from '../errors';

/**
 * Runs one statement on a pooled connection and gives the connection back even when the
 * statement failed: pool.query() destroys a connection on any error, and a fresh backend
 * recompiles every PL/pgSQL function, which made refused transfers 30 times slower.
 */
export async function run<R extends QueryResultRow>(db: Pool | PoolClient, text: string, values: unknown[]) {
  if (!('totalCount' in db)) return db.query<R>(text, values);
  const client = await db.connect();
  try {
    return await client.query<R>(text, values);
  } finally {
    client.release();
  }
}

export interface AddItem {
  inventoryId: string;
  templateId: string;
  quantity: number;
  gridX?: number | null;
  gridY?: number | null;
  durability?: number | null;
  reason?: string;
}

export interface ItemRow {
  id: string;
  inventory_id: string;
  item_template_id: string;
  grid_x: number;
  grid_y: number;
  grid_width: number;
  grid_height: number;
  quantity: number;
}

/** add_item through pg; resolves to the new row. */
export async function addItem(db: Pool | PoolClient, a: AddItem): Promise<ItemRow> {
  const { rows } = await run<ItemRow>(db, `SELECT * FROM add_item($1, $2, $3, $4, $5, $6, NULL, NULL, $7)`, [
    a.inventoryId,
    a.templateId,
    a.quantity,
    a.gridX ?? null,
    a.gridY ?? null,
    a.durability ?? null,
    a.reason ?? 'test',
  ]);
  return rows[0];
}

export interface Transfer {
  itemId: string;
  toInventoryId: string;
  gridX: number;
  gridY: number;
  quantity?: number | null;
  lockCode?: string | null;
  expectedFrom?: string | null;
  reason?: string;
}

export interface TransferResult {
  operation: 'moved' | 'split' | 'merged';
  item: { id: string; inventoryId: string; gridX: number; gridY: number; quantity: number };
  source: { id: string; quantity: number } | null;
}

/** transfer_item through pg; resolves to its JSON result. */
export async function transfer(db: Pool | PoolClient, t: Transfer): Promise<TransferResult> {
  const { rows } = await run<{ r: TransferResult }>(
    db,
    `SELECT transfer_item($1, $2, $3, $4, $5, $6, $7, $8) AS r`,
    [
      t.itemId,
      t.toInventoryId,
      t.gridX,
      t.gridY,
      t.quantity ?? null,
      t.lockCode ?? null,
      t.expectedFrom ?? null,
      t.reason ?? 'test',
    ],
  );
  return rows[0].r;
}

/** Asserts that `work` fails with the given procedure code; returns the error's details. */
export async function expectCode(
  work: Promise<unknown>,
  code: InventoryErrorCode,
): Promise<Record<string, unknown>> {
  const error = await work.then(
    () => assert.fail(`expected ${code}, got success`),
    (e: unknown) => e,
  );
  const mapped = inventoryErrorOf(error);
  assert.equal(mapped?.code, code, `expected ${code}, got ${String((error as Error).message)}`);
  return mapped?.details ?? {};
}

export { stateAndReplay, totalsByTemplate, violations } from '../invariants';
