/** Thin callers of the inventory procedures and the invariant checks the SQL specs share. */
import assert from 'node:assert/strict';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { inventoryErrorOf, type InventoryErrorCode } from '../errors';

type Db = Pick<Pool, 'query'>;

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

/** Total quantity per template over all items. */
export async function totalsByTemplate(db: Db): Promise<Map<string, number>> {
  const { rows } = await db.query<{ t: string; q: string }>(
    `SELECT item_template_id AS t, sum(quantity) AS q FROM inventory_items GROUP BY 1`,
  );
  return new Map(rows.map((r) => [r.t, Number(r.q)]));
}

/** "inventory/template" → quantity, from the items and from a replay of item_ledger. */
export async function stateAndReplay(
  db: Db,
): Promise<{ state: Map<string, number>; replay: Map<string, number> }> {
  const state = await db.query<{ k: string; q: string }>(
    `SELECT inventory_id || '/' || item_template_id AS k, sum(quantity) AS q FROM inventory_items GROUP BY 1`,
  );
  // Every ledger row takes its quantity from one side and gives it to the other (migration header).
  const replay = await db.query<{ k: string; q: string }>(
    `SELECT k, sum(q) AS q FROM (
        SELECT to_inventory_id || '/' || template_id AS k, quantity AS q FROM item_ledger WHERE to_inventory_id IS NOT NULL
        UNION ALL
        SELECT from_inventory_id || '/' || template_id, -quantity FROM item_ledger WHERE from_inventory_id IS NOT NULL
     ) m GROUP BY k HAVING sum(q) <> 0`,
  );
  const toMap = (rows: { k: string; q: string }[]) => new Map(rows.map((r) => [r.k, Number(r.q)]));
  return { state: toMap(state.rows), replay: toMap(replay.rows) };
}

/** Pairs of items of one inventory that share a cell, and stacks outside 1..max_stack. */
export async function violations(db: Db): Promise<{ overlaps: number; badStacks: number; outside: number }> {
  const { rows } = await db.query(`
    SELECT
      (SELECT count(*) FROM inventory_items a JOIN inventory_items b
          ON a.inventory_id = b.inventory_id AND a.id < b.id
         AND a.grid_x < b.grid_x + b.grid_width AND b.grid_x < a.grid_x + a.grid_width
         AND a.grid_y < b.grid_y + b.grid_height AND b.grid_y < a.grid_y + a.grid_height)::int AS overlaps,
      (SELECT count(*) FROM inventory_items i JOIN item_templates t ON t.id = i.item_template_id
        WHERE i.quantity < 1 OR i.quantity > t.max_stack)::int AS "badStacks",
      (SELECT count(*) FROM inventory_items i JOIN inventories v ON v.id = i.inventory_id
        WHERE i.grid_x + i.grid_width > v.grid_width OR i.grid_y + i.grid_height > v.grid_height)::int AS outside`);
  return rows[0];
}
