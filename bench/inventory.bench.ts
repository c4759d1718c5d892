/**
 * Inventory rows: `SELECT transfer_item(...)` raw through pg at the bench concurrency, in a
 * migrated database of this run's own. Until the inventory service exists, the measured column
 * is the contended case (80 % of moves on 4 hot items) and the raw column the uncontended one
 * (every move on an item of its own), so the ratio is the cost of contention on hot items.
 */
import { Client, Pool } from 'pg';
import { applyMigrations } from '@trustno1/db';
import { syncCatalog } from '@trustno1/inventory-domain';
import { uniqueToken, withDatabase } from '@trustno1/testing';
import type { BenchContext } from './lib/context';
import { measure } from './lib/measure';
import type { BenchRow } from './lib/table';

const HOT_ITEMS = 4;
const HOT_SHARE = 0.8;

interface Pair {
  itemId: string;
  a: string;
  b: string;
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** `count` items, each alone in a pair of inventories it shuttles between. */
async function pairs(pool: Pool, count: number): Promise<Pair[]> {
  const { rows } = await pool.query<Pair>(
    `WITH inv AS (
       INSERT INTO inventories (id, owner_id, owner_type, grid_width, grid_height, max_weight)
       SELECT gen_random_uuid(), gen_random_uuid(), 'container', 6, 6, 50 FROM generate_series(1, $1 * 2)
       RETURNING id),
     numbered AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM inv)
     SELECT a.id AS a, b.id AS b FROM numbered a JOIN numbered b ON b.n = a.n + 1 WHERE a.n % 2 = 0`,
    [count],
  );
  for (const pair of rows) {
    const item = await pool.query(
      `SELECT id FROM add_item($1, 'rifle_ak', 1, 0, 0, NULL, NULL, NULL, 'bench')`,
      [pair.a],
    );
    pair.itemId = item.rows[0].id;
  }
  return rows;
}

/** Moves the pair's item to the other inventory of the pair, wherever it is now. */
function shuttle(pool: Pool, pair: Pair): Promise<unknown> {
  return pool.query(
    `SELECT transfer_item($1, CASE WHEN i.inventory_id = $2 THEN $3::uuid ELSE $2::uuid END, 0, 0, NULL, NULL, NULL, 'bench')
       FROM inventory_items i WHERE i.id = $1`,
    [pair.itemId, pair.a, pair.b],
  );
}

export async function inventoryRows(ctx: BenchContext): Promise<BenchRow[]> {
  const name = `tn1_bench_inv_${uniqueToken()}`;
  const url = withDatabase(ctx.databaseUrl, name);
  await admin(ctx.databaseUrl, `CREATE DATABASE ${name}`);
  const pool = new Pool({ connectionString: url, max: ctx.concurrency });
  try {
    await applyMigrations({ databaseUrl: url });
    await syncCatalog(pool);
    const cold = await pairs(pool, ctx.concurrency * 8);
    const hot = await pairs(pool, HOT_ITEMS);
    const options = { iterations: ctx.iterations, concurrency: ctx.concurrency };
    const raw = await measure((i) => shuttle(pool, cold[i % cold.length]), options);
    const measured = await measure(
      (i) => shuttle(pool, Math.random() < HOT_SHARE ? hot[i % HOT_ITEMS] : cold[i % cold.length]),
      options,
    );
    return [
      {
        operation: 'item move (SQL)',
        measured,
        raw,
        note: `transfer_item raw through pg both columns: measured = ${HOT_SHARE * 100} % of moves on ${HOT_ITEMS} hot items, raw = uncontended; service rows come with the inventory service`,
      },
    ];
  } finally {
    await pool.end();
    await admin(ctx.databaseUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}
