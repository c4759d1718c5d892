/** transfer_item: move, split, merge and every refusal, against a real database. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { Pool } from 'pg';
import { createTestDatabase, factories, type TestDatabase } from '@trustno1/testing';
import { addItem, expectCode, transfer, type Transfer } from '../testing/sql';

describe('inventory procedures: transfer_item', () => {
  let db: TestDatabase;
  let pool: Pool;
  let f: ReturnType<typeof factories>;
  const inventory = (over: { gridWidth?: number; gridHeight?: number } = {}) =>
    f.inventory({ gridWidth: 6, gridHeight: 4, ...over });
  const ledgerRows = async (from: number) =>
    (
      await pool.query(
        `SELECT operation, item_id, related_item_id, from_inventory_id AS "from", to_inventory_id AS "to", quantity
           FROM item_ledger WHERE id > $1 ORDER BY id`,
        [from],
      )
    ).rows;
  const lastLedgerId = async () =>
    Number((await pool.query(`SELECT max(id) AS m FROM item_ledger`)).rows[0].m ?? 0);

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 4 });
    f = factories(pool);
    await f.itemTemplate({ id: 'rifle', width: 2, height: 4, weight: 4 });
    await f.itemTemplate({ id: 'ammo', maxStack: 20, weight: 0.1 });
    await f.itemTemplate({ id: 'bandage', maxStack: 5, weight: 0.05 });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('moves a whole item across inventories, one move row', async () => {
    const [a, b] = [await inventory(), await inventory()];
    const rifle = await addItem(pool, { inventoryId: a.id, templateId: 'rifle', quantity: 1 });
    const mark = await lastLedgerId();
    const result = await transfer(pool, { itemId: rifle.id, toInventoryId: b.id, gridX: 4, gridY: 0 });
    assert.equal(result.operation, 'moved');
    assert.deepEqual([result.item.id, result.item.inventoryId, result.item.gridX], [rifle.id, b.id, 4]);
    assert.equal(result.source, null);
    assert.deepEqual(await ledgerRows(mark), [
      { operation: 'move', item_id: rifle.id, related_item_id: null, from: a.id, to: b.id, quantity: 1 },
    ]);
  });

  it('lets an item overlap its own old cells, never another item', async () => {
    const a = await inventory();
    const rifle = await addItem(pool, {
      inventoryId: a.id,
      templateId: 'rifle',
      quantity: 1,
      gridX: 0,
      gridY: 0,
    });
    await transfer(pool, { itemId: rifle.id, toInventoryId: a.id, gridX: 1, gridY: 0 });
    await transfer(pool, { itemId: rifle.id, toInventoryId: a.id, gridX: 1, gridY: 0 });
    const ammo = await addItem(pool, {
      inventoryId: a.id,
      templateId: 'ammo',
      quantity: 5,
      gridX: 3,
      gridY: 3,
    });
    const hit = await expectCode(
      transfer(pool, { itemId: rifle.id, toInventoryId: a.id, gridX: 2, gridY: 0 }),
      'SLOT_OCCUPIED',
    );
    assert.equal(hit.occupiedBy, ammo.id);
    // A split keeps the source where it is, so its own cells are taken.
    await expectCode(
      transfer(pool, { itemId: ammo.id, toInventoryId: a.id, gridX: 3, gridY: 3, quantity: 2 }),
      'SLOT_OCCUPIED',
    );
    await expectCode(
      transfer(pool, { itemId: ammo.id, toInventoryId: a.id, gridX: 2, gridY: 3 }),
      'SLOT_OCCUPIED',
    );
  });

  it('splits a partial quantity into a new item, one split row naming the source', async () => {
    const [a, b] = [await inventory(), await inventory()];
    const ammo = await addItem(pool, { inventoryId: a.id, templateId: 'ammo', quantity: 12 });
    const mark = await lastLedgerId();
    const result = await transfer(pool, {
      itemId: ammo.id,
      toInventoryId: b.id,
      gridX: 1,
      gridY: 1,
      quantity: 5,
    });
    assert.equal(result.operation, 'split');
    assert.deepEqual([result.item.quantity, result.item.inventoryId, result.source?.quantity], [5, b.id, 7]);
    assert.notEqual(result.item.id, ammo.id);
    assert.deepEqual(await ledgerRows(mark), [
      {
        operation: 'split',
        item_id: result.item.id,
        related_item_id: ammo.id,
        from: a.id,
        to: b.id,
        quantity: 5,
      },
    ]);
  });

  it('merges into a same-template stack with room, the source shrinking or disappearing', async () => {
    const [a, b] = [await inventory(), await inventory()];
    const src = await addItem(pool, { inventoryId: a.id, templateId: 'ammo', quantity: 10 });
    const dst = await addItem(pool, {
      inventoryId: b.id,
      templateId: 'ammo',
      quantity: 12,
      gridX: 2,
      gridY: 2,
    });
    const dst2 = await addItem(pool, {
      inventoryId: b.id,
      templateId: 'ammo',
      quantity: 14,
      gridX: 4,
      gridY: 2,
    });
    const mark = await lastLedgerId();
    const part = await transfer(pool, {
      itemId: src.id,
      toInventoryId: b.id,
      gridX: 2,
      gridY: 2,
      quantity: 4,
    });
    assert.deepEqual(
      [part.operation, part.item.id, part.item.quantity, part.source?.quantity],
      ['merged', dst.id, 16, 6],
    );
    const full = await expectCode(
      transfer(pool, { itemId: src.id, toInventoryId: b.id, gridX: 2, gridY: 2 }),
      'SLOT_OCCUPIED',
    );
    assert.deepEqual([full.reason, full.room], ['STACK_FULL', 4]);
    const rest = await transfer(pool, { itemId: src.id, toInventoryId: b.id, gridX: 4, gridY: 2 });
    assert.deepEqual([rest.item.id, rest.item.quantity, rest.source], [dst2.id, 20, null]);
    assert.equal((await pool.query(`SELECT 1 FROM inventory_items WHERE id = $1`, [src.id])).rowCount, 0);
    assert.deepEqual(
      (await ledgerRows(mark)).map((r) => [r.operation, r.item_id, r.related_item_id, r.quantity]),
      [
        ['merge', src.id, dst.id, 4],
        ['merge', src.id, dst2.id, 6],
      ],
    );
    // Another template in the cell is an occupied slot, not a merge.
    const bandage = await addItem(pool, { inventoryId: a.id, templateId: 'bandage', quantity: 1 });
    await expectCode(
      transfer(pool, { itemId: bandage.id, toInventoryId: b.id, gridX: 2, gridY: 2 }),
      'SLOT_OCCUPIED',
    );
  });

  it('asks for the lock code on both sides', async () => {
    const [open, safe] = [await inventory(), await inventory()];
    await pool.query(`UPDATE inventories SET locked = true, lock_code = '1234' WHERE id = $1`, [safe.id]);
    const ammo = await addItem(pool, { inventoryId: open.id, templateId: 'ammo', quantity: 3 });
    const put = (lockCode?: string) =>
      transfer(pool, { itemId: ammo.id, toInventoryId: safe.id, gridX: 0, gridY: 0, lockCode });
    assert.equal((await expectCode(put(), 'INVENTORY_LOCKED')).reason, 'CODE_REQUIRED');
    assert.equal((await expectCode(put('9999'), 'INVENTORY_LOCKED')).reason, 'WRONG_CODE');
    await put('1234');
    const take = (lockCode?: string) =>
      transfer(pool, { itemId: ammo.id, toInventoryId: open.id, gridX: 0, gridY: 0, lockCode });
    await expectCode(take(), 'INVENTORY_LOCKED');
    await expectCode(take('0000'), 'INVENTORY_LOCKED');
    assert.equal((await take('1234')).item.inventoryId, open.id);
  });

  it('checks weight only when the item changes inventory', async () => {
    const [a, b] = [await inventory(), await inventory()];
    await pool.query(`UPDATE inventories SET max_weight = 5 WHERE id = $1`, [b.id]);
    const r1 = await addItem(pool, {
      inventoryId: a.id,
      templateId: 'rifle',
      quantity: 1,
      gridX: 0,
      gridY: 0,
    });
    const r2 = await addItem(pool, {
      inventoryId: a.id,
      templateId: 'rifle',
      quantity: 1,
      gridX: 2,
      gridY: 0,
    });
    await transfer(pool, { itemId: r1.id, toInventoryId: b.id, gridX: 0, gridY: 0 });
    const over = await expectCode(
      transfer(pool, { itemId: r2.id, toInventoryId: b.id, gridX: 2, gridY: 0 }),
      'OVER_WEIGHT',
    );
    assert.deepEqual([over.weight, over.added, over.maxWeight], [4, 4, 5]);
    await pool.query(`UPDATE inventories SET max_weight = 1 WHERE id = $1`, [b.id]);
    await transfer(pool, { itemId: r1.id, toInventoryId: b.id, gridX: 3, gridY: 0 });
  });

  it('refuses unknown things, bad quantities, bad places and a stale source', async () => {
    const [a, b] = [await inventory(), await inventory()];
    const ammo = await addItem(pool, { inventoryId: a.id, templateId: 'ammo', quantity: 5 });
    const before = await lastLedgerId();
    const t = (over: Partial<Transfer>) =>
      transfer(pool, { itemId: ammo.id, toInventoryId: b.id, gridX: 0, gridY: 0, ...over });
    await expectCode(t({ itemId: randomUUID() }), 'NOT_FOUND');
    await expectCode(t({ toInventoryId: randomUUID() }), 'NOT_FOUND');
    for (const quantity of [0, -1, 6]) await expectCode(t({ quantity }), 'VALIDATION_FAILED');
    for (const [gridX, gridY] of [
      [-1, 0],
      [6, 0],
      [0, 4],
      [0, -1],
    ])
      await expectCode(t({ gridX, gridY }), 'OUT_OF_BOUNDS');
    await expectCode(t({ reason: '' }), 'VALIDATION_FAILED');
    const stale = await expectCode(t({ expectedFrom: b.id }), 'CONFLICT');
    assert.equal(stale.reason, 'ITEM_MOVED');
    const rifle = await addItem(pool, { inventoryId: a.id, templateId: 'rifle', quantity: 1 });
    await expectCode(t({ itemId: rifle.id, gridX: 5 }), 'OUT_OF_BOUNDS');
    assert.equal(await lastLedgerId(), before + 1);
    assert.equal((await t({ expectedFrom: a.id })).item.inventoryId, b.id);
  });
});
