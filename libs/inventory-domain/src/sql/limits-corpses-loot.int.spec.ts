/**
 * The active-items limit per server, create_corpse / cleanup_corpses and fill_container, against a
 * real database (20261125030000_inventory_loot_corpses).
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import { Pool } from 'pg';
import { createTestDatabase, factories, type TestDatabase } from '@trustno1/testing';
import { addItem, expectCode, run, stateAndReplay, transfer, violations } from '../testing/sql';

describe('inventory procedures: server limit, corpses, loot fills', () => {
  let db: TestDatabase;
  let pool: Pool;
  let f: ReturnType<typeof factories>;

  const setLimit = (max: number) =>
    pool.query(`UPDATE inventory_settings SET max_items_per_server = $1 WHERE id = 1`, [max]);
  /** A world inventory attributed to `serverId`, as the service creates them. */
  const worldInventory = async (serverId: string, ownerType = 'container') => {
    const inv = await f.inventory({ gridWidth: 8, gridHeight: 4, ownerType });
    await pool.query(`UPDATE inventories SET server_id = $2 WHERE id = $1`, [inv.id, serverId]);
    await pool.query(`INSERT INTO server_item_counts (server_id) VALUES ($1) ON CONFLICT DO NOTHING`, [
      serverId,
    ]);
    return inv.id;
  };
  /** The counter row and the real number of item rows in the server's inventories. */
  const counts = async (serverId: string) => {
    const { rows } = await pool.query<{ counter: string; real: string }>(
      `SELECT (SELECT items FROM server_item_counts WHERE server_id = $1) AS counter,
              (SELECT count(*) FROM inventory_items i JOIN inventories v ON v.id = i.inventory_id
                WHERE v.server_id = $1) AS real`,
      [serverId],
    );
    return { counter: Number(rows[0].counter), real: Number(rows[0].real) };
  };
  const checksum = async () =>
    (
      await pool.query<{ s: string }>(
        `SELECT md5(COALESCE((SELECT string_agg(t::text, '|' ORDER BY t.id) FROM inventory_items t), '')
                || (SELECT count(*) FROM item_ledger)::text
                || COALESCE((SELECT string_agg(c::text, '|' ORDER BY c.server_id) FROM server_item_counts c), '')) AS s`,
      )
    ).rows[0].s;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 12 });
    f = factories(pool);
    await f.itemTemplate({ id: 'rock', maxStack: 50, weight: 0.1 });
    await f.itemTemplate({ id: 'gun', width: 2, height: 3, weight: 3 });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });
  beforeEach(() => setLimit(1_000_000));

  describe('active items per server', () => {
    it('counts adds, splits, merges, moves across servers and destroys, and refuses past the limit', async () => {
      const server = await f.gameServer();
      const box = await worldInventory(server.id);
      const loose = (await f.inventory({ gridWidth: 8, gridHeight: 4 })).id; // no server
      await setLimit(3);
      const a = await addItem(pool, { inventoryId: box, templateId: 'rock', quantity: 10 });
      await addItem(pool, { inventoryId: box, templateId: 'rock', quantity: 10 });
      const outside = await addItem(pool, { inventoryId: loose, templateId: 'rock', quantity: 10 });
      assert.deepEqual(await counts(server.id), { counter: 2, real: 2 });
      const split = await transfer(pool, {
        itemId: a.id,
        toInventoryId: box,
        gridX: 7,
        gridY: 3,
        quantity: 1,
      });
      assert.equal(split.operation, 'split');
      assert.deepEqual(await counts(server.id), { counter: 3, real: 3 });

      const sum = await checksum();
      const details = await expectCode(
        addItem(pool, { inventoryId: box, templateId: 'rock', quantity: 1 }),
        'LIMIT_REACHED',
      );
      assert.equal(details.serverId, server.id);
      await expectCode(
        transfer(pool, { itemId: outside.id, toInventoryId: box, gridX: 6, gridY: 3, quantity: 1 }),
        'LIMIT_REACHED',
      );
      await expectCode(
        transfer(pool, { itemId: outside.id, toInventoryId: box, gridX: 6, gridY: 3 }),
        'LIMIT_REACHED',
      );
      assert.equal(await checksum(), sum, 'a refusal changes nothing, the counter included');

      // A merge of a whole stack frees a row; a move out of the server frees another.
      const merged = await transfer(pool, {
        itemId: split.item.id,
        toInventoryId: box,
        gridX: a.grid_x,
        gridY: a.grid_y,
      });
      assert.equal(merged.operation, 'merged');
      assert.deepEqual(await counts(server.id), { counter: 2, real: 2 });
      await transfer(pool, { itemId: a.id, toInventoryId: loose, gridX: 0, gridY: 3 });
      assert.deepEqual(await counts(server.id), { counter: 1, real: 1 });
      await transfer(pool, { itemId: outside.id, toInventoryId: box, gridX: 5, gridY: 3 });
      assert.deepEqual(await counts(server.id), { counter: 2, real: 2 });
      await run(pool, `SELECT destroy_item($1, NULL, 'test')`, [outside.id]);
      assert.deepEqual(await counts(server.id), { counter: 1, real: 1 });
    });

    it('30 racing adds under a limit of 10: exactly 10 land', async () => {
      const server = await f.gameServer();
      const boxes = await Promise.all(Array.from({ length: 5 }, () => worldInventory(server.id)));
      await setLimit(10);
      const results = await Promise.allSettled(
        Array.from({ length: 30 }, (_, i) =>
          addItem(pool, { inventoryId: boxes[i % boxes.length], templateId: 'rock', quantity: 1 }),
        ),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 10);
      assert.deepEqual(await counts(server.id), { counter: 10, real: 10 });
    });
  });

  describe('corpses', () => {
    it('moves every item of the player into one new corpse, one death row per item', async () => {
      const server = await f.gameServer();
      const player = await f.character();
      await pool.query(`UPDATE players SET server_id = $2 WHERE id = $1`, [player.id, server.id]);
      const pack = (
        await f.inventory({ ownerId: player.id, ownerType: 'player', gridWidth: 4, gridHeight: 3 })
      ).id;
      const items = [
        await addItem(pool, {
          inventoryId: player.inventoryId,
          templateId: 'gun',
          quantity: 1,
          gridX: 8,
          gridY: 3,
        }),
        await addItem(pool, { inventoryId: player.inventoryId, templateId: 'rock', quantity: 50 }),
        await addItem(pool, { inventoryId: pack, templateId: 'rock', quantity: 7, gridX: 3, gridY: 2 }),
        await addItem(pool, { inventoryId: pack, templateId: 'gun', quantity: 1, gridX: 0, gridY: 0 }),
      ];
      await setLimit(0); // a death is never refused by the item limit
      const before = await stateAndReplay(pool);
      const { rows } = await pool.query<{ id: string }>(
        `SELECT create_corpse($1, '{"x": 300.5, "y": 12, "z": -10}'::jsonb, 'kill-1') AS id`,
        [player.id],
      );
      const corpse = rows[0].id;
      const inv = await pool.query(`SELECT * FROM inventories WHERE id = $1`, [corpse]);
      const [first, second] = [player.inventoryId, pack].sort();
      const heights = { [player.inventoryId]: 6, [pack]: 3 };
      assert.equal(inv.rows[0].owner_type, 'corpse');
      assert.equal(inv.rows[0].owner_id, player.id);
      assert.equal(inv.rows[0].server_id, server.id);
      assert.deepEqual([inv.rows[0].grid_width, inv.rows[0].grid_height], [10, 9]);
      const moved = await pool.query(
        `SELECT id, grid_x, grid_y FROM inventory_items WHERE inventory_id = $1`,
        [corpse],
      );
      assert.equal(moved.rowCount, 4);
      for (const item of items) {
        const now = moved.rows.find((r) => r.id === item.id);
        const offset = item.inventory_id === first ? 0 : heights[first];
        assert.deepEqual(
          [now?.grid_x, now?.grid_y],
          [item.grid_x, item.grid_y + offset],
          item.item_template_id,
        );
      }
      assert.equal(second === pack ? heights[first] : 3, second === pack ? 6 : 3);
      const ledger = await pool.query(
        `SELECT item_id, from_inventory_id, operation, reason, reference FROM item_ledger WHERE to_inventory_id = $1`,
        [corpse],
      );
      assert.equal(ledger.rowCount, 4);
      assert.ok(
        ledger.rows.every((r) => r.operation === 'move' && r.reason === 'death' && r.reference === 'kill-1'),
      );
      const c = await pool.query(`SELECT chunk_x, chunk_z, position FROM corpses WHERE inventory_id = $1`, [
        corpse,
      ]);
      assert.deepEqual([c.rows[0].chunk_x, c.rows[0].chunk_z], [2, -1]);
      const after = await stateAndReplay(pool);
      assert.deepEqual(after.replay, after.state);
      const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
      assert.equal(total(after.state), total(before.state));
      assert.deepEqual(await violations(pool), { overlaps: 0, badStacks: 0, outside: 0 });
      assert.deepEqual(await counts(server.id), { counter: 4, real: 4 });
    });

    it('refuses a bad position or an unknown player, changing nothing', async () => {
      const player = await f.character();
      await addItem(pool, { inventoryId: player.inventoryId, templateId: 'rock', quantity: 1 });
      const sum = await checksum();
      for (const position of ['{"x": 1, "y": 2}', '{"x": "1", "y": 2, "z": 3}', 'null'])
        await expectCode(
          run(pool, `SELECT create_corpse($1, $2::jsonb)`, [player.id, position]),
          'VALIDATION_FAILED',
        );
      await expectCode(
        run(pool, `SELECT create_corpse(gen_random_uuid(), '{"x":0,"y":0,"z":0}')`, []),
        'NOT_FOUND',
      );
      assert.equal(await checksum(), sum);
    });

    it('cleanup removes corpses expired at the given now, destroying their items through the ledger', async () => {
      const player = await f.character();
      await addItem(pool, { inventoryId: player.inventoryId, templateId: 'rock', quantity: 9 });
      await addItem(pool, { inventoryId: player.inventoryId, templateId: 'gun', quantity: 1 });
      // Before the other tests' corpses (30 minutes by default), so only this one is due.
      const expires = new Date(Date.now() + 10_000);
      const { rows } = await pool.query<{ id: string }>(
        `SELECT create_corpse($1, '{"x":0,"y":0,"z":0}', NULL, $2) AS id`,
        [player.id, expires],
      );
      const corpse = rows[0].id;
      const early = await pool.query(`SELECT cleanup_corpses($1) AS r`, [new Date(expires.getTime() - 1)]);
      assert.deepEqual(early.rows[0].r, { corpses: 0, items: 0 });
      const due = await pool.query(`SELECT cleanup_corpses($1) AS r`, [expires]);
      assert.deepEqual(due.rows[0].r, { corpses: 1, items: 2 });
      assert.equal((await pool.query(`SELECT 1 FROM inventories WHERE id = $1`, [corpse])).rowCount, 0);
      assert.equal((await pool.query(`SELECT 1 FROM corpses WHERE inventory_id = $1`, [corpse])).rowCount, 0);
      const destroyed = await pool.query(
        `SELECT quantity, operation, reason FROM item_ledger WHERE from_inventory_id = $1 ORDER BY quantity`,
        [corpse],
      );
      assert.deepEqual(
        destroyed.rows.map((r) => [r.quantity, r.operation, r.reason]),
        [
          [1, 'destroy', 'corpse_expired'],
          [9, 'destroy', 'corpse_expired'],
        ],
      );
      const after = await stateAndReplay(pool);
      assert.deepEqual(after.replay, after.state);
    });
  });

  describe('fill_container', () => {
    const fill = (container: string, cycle: string, items: unknown[]) =>
      run<{ r: { filled: boolean; items: { templateId: string }[]; skipped: number } }>(
        pool,
        `SELECT fill_container($1, $2, 'test_table', $3::jsonb) AS r`,
        [container, cycle, JSON.stringify(items)],
      ).then((r) => r.rows[0].r);

    it('fills once per cycle, skipping what does not fit', async () => {
      const box = (await f.inventory({ gridWidth: 2, gridHeight: 3 })).id;
      const drops = [
        { templateId: 'rock', quantity: 5 },
        { templateId: 'gun', quantity: 1 }, // 2x3 never fits beside the rock
        { templateId: 'rock', quantity: 3 },
      ];
      const first = await fill(box, 'c1', drops);
      assert.equal(first.filled, true);
      assert.deepEqual(
        first.items.map((i) => i.templateId),
        ['rock', 'rock'],
      );
      assert.equal(first.skipped, 1);
      const again = await fill(box, 'c1', drops);
      assert.equal(again.filled, false);
      assert.deepEqual(again.items, first.items);
      const { rows } = await pool.query(
        `SELECT count(*)::int AS n FROM inventory_items WHERE inventory_id = $1`,
        [box],
      );
      assert.equal(rows[0].n, 2);
      assert.equal((await fill(box, 'c2', [{ templateId: 'rock', quantity: 1 }])).filled, true);
    });

    it('two racing fills of one cycle add the items once', async () => {
      const box = (await f.inventory({ gridWidth: 6, gridHeight: 6 })).id;
      const drops = [
        { templateId: 'rock', quantity: 4 },
        { templateId: 'gun', quantity: 1 },
      ];
      const results = await Promise.all(Array.from({ length: 8 }, () => fill(box, 'race', drops)));
      assert.equal(results.filter((r) => r.filled).length, 1);
      const ledger = await pool.query(
        `SELECT count(*)::int AS n FROM item_ledger WHERE to_inventory_id = $1`,
        [box],
      );
      assert.equal(ledger.rows[0].n, 2);
    });

    it('refuses a player inventory and an unknown container, changing nothing', async () => {
      const player = await f.character();
      const sum = await checksum();
      await expectCode(fill(player.inventoryId, 'c1', [{ templateId: 'rock', quantity: 1 }]), 'FORBIDDEN');
      await expectCode(fill('00000000-0000-4000-8000-000000000000', 'c1', []), 'NOT_FOUND');
      assert.equal(await checksum(), sum);
    });
  });

  it('deleting an inventory takes its items off the server count; deleting one still holding items is refused', async () => {
    const server = await f.gameServer();
    const box = await worldInventory(server.id);
    await addItem(pool, { inventoryId: box, templateId: 'rock', quantity: 1 });
    await addItem(pool, { inventoryId: box, templateId: 'rock', quantity: 2 });
    assert.deepEqual(await counts(server.id), { counter: 2, real: 2 });
    // A bare DELETE would cascade the items away without ledger rows: refused, nothing changes.
    await expectCode(pool.query(`DELETE FROM inventories WHERE id = $1`, [box]), 'CONFLICT');
    assert.deepEqual(await counts(server.id), { counter: 2, real: 2 });
    await pool.query(`SELECT delete_inventory($1, 'test', 'spec')`, [box]);
    assert.deepEqual(await counts(server.id), { counter: 0, real: 0 });
  });
});
