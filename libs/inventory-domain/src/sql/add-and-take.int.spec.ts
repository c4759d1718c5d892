/** add_item, consume_item, destroy_item and the row guard, against a real database. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { Pool } from 'pg';
import { createTestDatabase, factories, type TestDatabase } from '@trustno1/testing';
import { addItem, expectCode } from '../testing/sql';

describe('inventory procedures: add, consume, destroy', () => {
  let db: TestDatabase;
  let pool: Pool;
  let f: ReturnType<typeof factories>;
  const ledgerOf = async (itemId: string) =>
    (
      await pool.query(
        `SELECT operation, from_inventory_id AS "from", to_inventory_id AS "to", quantity, reason, reference
           FROM item_ledger WHERE item_id = $1 ORDER BY id`,
        [itemId],
      )
    ).rows;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 4 });
    f = factories(pool);
    await f.itemTemplate({ id: 'rifle', width: 2, height: 4, weight: 4 });
    await f.itemTemplate({ id: 'ammo', maxStack: 20, weight: 0.1 });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('places at the first free place row-major, or where asked, and writes one create row', async () => {
    const inv = await f.inventory({ gridWidth: 6, gridHeight: 4 });
    const rifle = await addItem(pool, { inventoryId: inv.id, templateId: 'rifle', quantity: 1 });
    assert.deepEqual([rifle.grid_x, rifle.grid_y, rifle.grid_width, rifle.grid_height], [0, 0, 2, 4]);
    const ammo = await addItem(pool, { inventoryId: inv.id, templateId: 'ammo', quantity: 20 });
    assert.deepEqual([ammo.grid_x, ammo.grid_y], [2, 0]);
    const placed = await addItem(pool, {
      inventoryId: inv.id,
      templateId: 'ammo',
      quantity: 3,
      gridX: 5,
      gridY: 3,
    });
    assert.deepEqual([placed.grid_x, placed.grid_y, placed.quantity], [5, 3, 3]);
    assert.deepEqual(await ledgerOf(placed.id), [
      { operation: 'create', from: null, to: inv.id, quantity: 3, reason: 'test', reference: null },
    ]);
  });

  it('refuses bad places, unknown things and bad quantities with stable codes, changing nothing', async () => {
    const inv = await f.inventory({ gridWidth: 6, gridHeight: 4 });
    await addItem(pool, { inventoryId: inv.id, templateId: 'rifle', quantity: 1, gridX: 0, gridY: 0 });
    const before = await pool.query(`SELECT count(*) FROM item_ledger`);
    const add = (over: Partial<Parameters<typeof addItem>[1]>) =>
      addItem(pool, { inventoryId: inv.id, templateId: 'ammo', quantity: 1, gridX: 3, gridY: 0, ...over });
    await expectCode(add({ gridX: -1 }), 'OUT_OF_BOUNDS');
    await expectCode(add({ gridX: 6 }), 'OUT_OF_BOUNDS');
    await expectCode(add({ gridY: 4 }), 'OUT_OF_BOUNDS');
    await expectCode(add({ templateId: 'rifle', gridX: 5 }), 'OUT_OF_BOUNDS');
    await expectCode(add({ templateId: 'rifle', gridX: 4, gridY: 1 }), 'OUT_OF_BOUNDS');
    // Every cell of the 2×4 rifle is taken, including its far corner.
    for (const [x, y] of [
      [0, 0],
      [1, 3],
      [0, 2],
    ])
      assert.equal((await expectCode(add({ gridX: x, gridY: y }), 'SLOT_OCCUPIED')).gridX, x);
    await expectCode(add({ templateId: 'rifle', gridX: 1, gridY: 0 }), 'SLOT_OCCUPIED');
    await expectCode(add({ templateId: 'nope' }), 'NOT_FOUND');
    await expectCode(add({ inventoryId: randomUUID() }), 'NOT_FOUND');
    for (const quantity of [0, -1, 21]) await expectCode(add({ quantity }), 'VALIDATION_FAILED');
    await expectCode(add({ templateId: 'rifle', quantity: 2, gridX: 2 }), 'VALIDATION_FAILED');
    await expectCode(add({ gridY: null }), 'VALIDATION_FAILED');
    await expectCode(add({ reason: '' }), 'VALIDATION_FAILED');
    await expectCode(add({ durability: 5 }), 'VALIDATION_FAILED');
    // A fractional quantity never reaches the procedure: the integer parameter refuses it.
    await assert.rejects(
      pool.query(`SELECT add_item($1, 'ammo', $2, NULL, NULL, NULL, NULL, NULL, 'x')`, [inv.id, 1.5]),
      { code: '22P02' },
    );
    const afterRows = await pool.query(`SELECT count(*) FROM item_ledger`);
    assert.equal(afterRows.rows[0].count, before.rows[0].count);
  });

  it('enforces the weight limit and reports a full grid', async () => {
    const inv = await f.inventory({ gridWidth: 2, gridHeight: 4 });
    await pool.query(`UPDATE inventories SET max_weight = 4.5 WHERE id = $1`, [inv.id]);
    await addItem(pool, { inventoryId: inv.id, templateId: 'ammo', quantity: 10 });
    const details = await expectCode(
      addItem(pool, { inventoryId: inv.id, templateId: 'rifle', quantity: 1 }),
      'OVER_WEIGHT',
    );
    assert.deepEqual([details.maxWeight, details.weight, details.added], [4.5, 1, 4]);
    const open = await f.inventory({ gridWidth: 2, gridHeight: 4 });
    await addItem(pool, { inventoryId: open.id, templateId: 'rifle', quantity: 1 });
    const full = await expectCode(
      addItem(pool, { inventoryId: open.id, templateId: 'ammo', quantity: 1 }),
      'SLOT_OCCUPIED',
    );
    assert.equal(full.reason, 'NO_FREE_PLACE');
  });

  it('consumes and destroys parts or all of a stack, one ledger row each', async () => {
    const inv = await f.inventory();
    const ammo = await addItem(pool, { inventoryId: inv.id, templateId: 'ammo', quantity: 10 });
    const eaten = await pool.query(`SELECT consume_item($1, 4, 'reload', 'shot-1') AS r`, [ammo.id]);
    assert.equal(eaten.rows[0].r.item.quantity, 6);
    await expectCode(pool.query(`SELECT consume_item($1, 7, 'reload')`, [ammo.id]), 'VALIDATION_FAILED');
    await expectCode(pool.query(`SELECT consume_item($1, 0, 'reload')`, [ammo.id]), 'VALIDATION_FAILED');
    await expectCode(pool.query(`SELECT consume_item($1, NULL, 'reload')`, [ammo.id]), 'VALIDATION_FAILED');
    await pool.query(`SELECT destroy_item($1, 2, 'decay')`, [ammo.id]);
    const gone = await pool.query(`SELECT destroy_item($1, NULL, 'drop') AS r`, [ammo.id]);
    assert.deepEqual(gone.rows[0].r, { item: null, removed: 4 });
    await expectCode(pool.query(`SELECT destroy_item($1, NULL, 'drop')`, [ammo.id]), 'NOT_FOUND');
    assert.deepEqual(
      (await ledgerOf(ammo.id)).map((r) => [r.operation, r.from, r.to, r.quantity, r.reference]),
      [
        ['create', null, inv.id, 10, null],
        ['consume', inv.id, null, 4, 'shot-1'],
        ['destroy', inv.id, null, 2, null],
        ['destroy', inv.id, null, 4, null],
      ],
    );
  });

  it('guards rows written without the procedures: overlap, bounds, stack, size, resize', async () => {
    const inv = await f.inventory({ gridWidth: 6, gridHeight: 4 });
    const insert = (x: number, y: number, tpl = 'rifle', w = 2, h = 4, q = 1) =>
      pool.query(
        `INSERT INTO inventory_items (id, inventory_id, item_template_id, grid_x, grid_y, grid_width, grid_height, quantity)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [randomUUID(), inv.id, tpl, x, y, w, h, q],
      );
    await insert(0, 0);
    await assert.rejects(insert(1, 0), { code: '23P01', constraint: 'inventory_items_no_overlap_excl' });
    await expectCode(insert(1, 0), 'SLOT_OCCUPIED');
    await insert(2, 0);
    await expectCode(insert(5, 0), 'OUT_OF_BOUNDS');
    await expectCode(insert(5, 0, 'ammo', 1, 1, 21), 'VALIDATION_FAILED');
    await expectCode(insert(5, 0, 'ammo', 1, 1, 0), 'VALIDATION_FAILED');
    await expectCode(insert(4, 0, 'ammo', 2, 1, 1), 'VALIDATION_FAILED');
    await expectCode(
      pool.query(`UPDATE inventories SET grid_width = 3 WHERE id = $1`, [inv.id]),
      'OUT_OF_BOUNDS',
    );
    await pool.query(`UPDATE inventories SET grid_width = 4 WHERE id = $1`, [inv.id]);
  });

  it('refuses to delete an inventory that still holds items; delete_inventory destroys them through the ledger first', async () => {
    const inv = await f.inventory();
    const rifle = await addItem(pool, { inventoryId: inv.id, templateId: 'rifle', quantity: 1 });
    const ammo = await addItem(pool, { inventoryId: inv.id, templateId: 'ammo', quantity: 7 });
    const refused = await expectCode(
      pool.query(`DELETE FROM inventories WHERE id = $1`, [inv.id]),
      'CONFLICT',
    );
    assert.equal(refused.reason, 'INVENTORY_NOT_EMPTY');
    const items = await pool.query(`SELECT id FROM inventory_items WHERE inventory_id = $1 ORDER BY id`, [
      inv.id,
    ]);
    assert.equal(items.rowCount, 2, 'the refused deletion took no item with it');

    const { rows } = await pool.query(`SELECT delete_inventory($1, 'decay', 'spec') AS n`, [inv.id]);
    assert.equal(rows[0].n, 2);
    assert.equal((await pool.query(`SELECT 1 FROM inventories WHERE id = $1`, [inv.id])).rowCount, 0);
    for (const [item, quantity] of [
      [rifle.id, 1],
      [ammo.id, 7],
    ] as const) {
      const destroyed = (await ledgerOf(item)).filter((r) => r.operation === 'destroy');
      assert.deepEqual(destroyed, [
        { operation: 'destroy', from: inv.id, to: null, quantity, reason: 'decay', reference: 'spec' },
      ]);
    }
    const empty = await f.inventory();
    await pool.query(`DELETE FROM inventories WHERE id = $1`, [empty.id]);
    assert.equal(
      (await pool.query(`SELECT delete_inventory($1, 'decay', 'spec') AS n`, [randomUUID()])).rows[0].n,
      0,
    );
  });
});
