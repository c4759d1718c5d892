/** Racing for real: many connections fighting over one item, one stack, two inventories. */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { Pool } from 'pg';
import { createTestDatabase, factories, type TestDatabase } from '@trustno1/testing';
import { inventoryErrorOf } from '../errors';
import { addItem, stateAndReplay, transfer, violations } from '../testing/sql';

/** Settles every attempt; tallies successes and failure codes. */
async function race(attempts: Promise<unknown>[]): Promise<{ ok: number; codes: Record<string, number> }> {
  const results = await Promise.allSettled(attempts);
  const codes: Record<string, number> = {};
  for (const r of results) {
    if (r.status === 'fulfilled') continue;
    const code = inventoryErrorOf(r.reason)?.code ?? (r.reason as { code?: string }).code ?? String(r.reason);
    codes[code] = (codes[code] ?? 0) + 1;
  }
  return { ok: results.filter((r) => r.status === 'fulfilled').length, codes };
}

describe('inventory races', () => {
  let db: TestDatabase;
  let pool: Pool;
  let f: ReturnType<typeof factories>;
  const inventories = (n: number, over: { gridWidth?: number; gridHeight?: number } = {}) =>
    Promise.all(Array.from({ length: n }, () => f.inventory(over)));

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 16 });
    f = factories(pool);
    await f.itemTemplate({ id: 'rifle', width: 2, height: 4, weight: 4 });
    await f.itemTemplate({ id: 'ammo', maxStack: 20, weight: 0.1 });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('50 parallel moves of one unique item: exactly one wins, the item is in one place', async () => {
    const [home] = await inventories(1);
    const targets = await inventories(50, { gridWidth: 2, gridHeight: 4 });
    const rifle = await addItem(pool, { inventoryId: home.id, templateId: 'rifle', quantity: 1 });
    const { ok, codes } = await race(
      targets.map((t) =>
        transfer(pool, { itemId: rifle.id, toInventoryId: t.id, gridX: 0, gridY: 0, expectedFrom: home.id }),
      ),
    );
    assert.equal(ok, 1);
    assert.deepEqual(codes, { CONFLICT: 49 });
    const { rows } = await pool.query(
      `SELECT inventory_id FROM inventory_items WHERE item_template_id = 'rifle'`,
    );
    assert.equal(rows.length, 1);
    assert.ok(targets.some((t) => t.id === rows[0].inventory_id));
    const moves = await pool.query(
      `SELECT count(*)::int AS n FROM item_ledger WHERE item_id = $1 AND operation = 'move'`,
      [rifle.id],
    );
    assert.equal(moves.rows[0].n, 1);
  });

  it('50 parallel single-unit takes from a stack of 20: exactly 20 succeed', async () => {
    const [chest] = await inventories(1);
    const takers = await inventories(50, { gridWidth: 1, gridHeight: 1 });
    const stack = await addItem(pool, { inventoryId: chest.id, templateId: 'ammo', quantity: 20 });
    const { ok, codes } = await race(
      takers.map((t) =>
        transfer(pool, {
          itemId: stack.id,
          toInventoryId: t.id,
          gridX: 0,
          gridY: 0,
          quantity: 1,
          expectedFrom: chest.id,
        }),
      ),
    );
    assert.equal(ok, 20);
    assert.deepEqual(codes, { CONFLICT: 30 });
    const { rows } = await pool.query(
      `SELECT count(*)::int AS items, sum(quantity)::int AS total, count(*) FILTER (WHERE inventory_id = $1)::int AS left
         FROM inventory_items WHERE item_template_id = 'ammo' AND inventory_id = ANY($2::uuid[])`,
      [chest.id, [chest.id, ...takers.map((t) => t.id)]],
    );
    // 19 splits and the last unit moving the stack itself: 20 items of 1, none left in the chest.
    assert.deepEqual(rows[0], { items: 20, total: 20, left: 0 });
  });

  it('crossing moves A→B and B→A never deadlock and lose nothing', async () => {
    const [a, b] = await inventories(2, { gridWidth: 10, gridHeight: 10 });
    const items = [];
    for (let i = 0; i < 20; i++)
      items.push(await addItem(pool, { inventoryId: i % 2 ? b.id : a.id, templateId: 'ammo', quantity: 10 }));
    const attempts: Promise<unknown>[] = [];
    for (let round = 0; round < 10; round++) {
      items.forEach((item, i) => {
        const to = (i + round) % 2 ? a.id : b.id;
        attempts.push(
          transfer(pool, { itemId: item.id, toInventoryId: to, gridX: i % 10, gridY: (round + i) % 10 }),
        );
      });
    }
    const { ok, codes } = await race(attempts);
    assert.equal(codes['40P01'], undefined, 'no deadlock');
    assert.ok(ok > 0);
    for (const code of Object.keys(codes)) assert.ok(['SLOT_OCCUPIED', 'NOT_FOUND'].includes(code), code);
    const total = await pool.query(
      `SELECT sum(quantity)::int AS q FROM inventory_items WHERE inventory_id IN ($1, $2)`,
      [a.id, b.id],
    );
    assert.equal(total.rows[0].q, 200);
    assert.deepEqual(await violations(pool), { overlaps: 0, badStacks: 0, outside: 0 });
    const { state, replay } = await stateAndReplay(pool);
    assert.deepEqual(replay, state);
  });
});
