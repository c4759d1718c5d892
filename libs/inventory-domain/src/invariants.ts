/**
 * The inventory's invariants as queries (SPEC §9): totals per template, the state rebuilt from
 * item_ledger, and grid violations. The conservation specs assert them; an operator can run them
 * against a live database (read-only, but full scans: not on the hot path).
 */
import type { Pool } from 'pg';

type Db = Pick<Pool, 'query'>;

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

export interface GridViolations {
  overlaps: number;
  badStacks: number;
  outside: number;
}

/** Pairs of items of one inventory that share a cell, stacks outside 1..max_stack, items off the grid. */
export async function violations(db: Db): Promise<GridViolations> {
  const { rows } = await db.query<GridViolations>(`
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
