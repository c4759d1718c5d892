/**
 * Conservation under fire: thousands of random concurrent transfers (moves, splits, merges,
 * crossings) over many inventories. Failures are allowed; losing or duplicating a unit is not.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { Pool } from 'pg';
import { createTestDatabase, factories, type TestDatabase } from '@trustno1/testing';
import { inventoryErrorOf } from '../errors';
import { addItem, run, stateAndReplay, totalsByTemplate, transfer, violations } from '../testing/sql';

const OPERATIONS = Number(process.env.INVENTORY_FUZZ_OPERATIONS ?? 8_000);
const WORKERS = 8;
const INVENTORIES = 16;
const GRID = { gridWidth: 8, gridHeight: 6 };
const TEMPLATES = [
  { id: 'fz_ammo', maxStack: 20, weight: 0.1, count: 6, quantity: 12 },
  { id: 'fz_wood', maxStack: 50, weight: 0.05, count: 4, quantity: 30 },
  { id: 'fz_bandage', maxStack: 5, weight: 0.2, count: 4, quantity: 3 },
  { id: 'fz_rifle', width: 2, height: 4, weight: 4, count: 1, quantity: 1 },
  { id: 'fz_helmet', width: 2, height: 2, weight: 2, count: 1, quantity: 1 },
  { id: 'fz_knife', width: 1, height: 2, weight: 0.5, count: 2, quantity: 1 },
];
/** Refusals a random transfer may meet; anything else (a deadlock, a 5xx) fails the test. */
const EXPECTED = new Set(['SLOT_OCCUPIED', 'OUT_OF_BOUNDS', 'VALIDATION_FAILED', 'NOT_FOUND', 'OVER_WEIGHT']);

const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)];
const int = (n: number) => Math.floor(Math.random() * n);

describe('inventory conservation', () => {
  let db: TestDatabase;
  let pool: Pool;
  let inventoryIds: string[] = [];
  const known = new Set<string>();

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: WORKERS + 2 });
    const f = factories(pool);
    for (const t of TEMPLATES) await f.itemTemplate(t);
    inventoryIds = (await Promise.all(Array.from({ length: INVENTORIES }, () => f.inventory(GRID)))).map(
      (i) => i.id,
    );
    // Two inventories carry a weight limit, so OVER_WEIGHT is exercised too.
    await pool.query(`UPDATE inventories SET max_weight = 30 WHERE id = ANY($1::uuid[])`, [
      inventoryIds.slice(0, 2),
    ]);
    for (const inventoryId of inventoryIds)
      for (const t of TEMPLATES)
        for (let i = 0; i < t.count; i++)
          known.add((await addItem(pool, { inventoryId, templateId: t.id, quantity: t.quantity })).id);
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  /** One random transfer: a move or split to a random place, or onto another item (a merge try). */
  async function randomTransfer(): Promise<string> {
    const itemId = pick([...known]);
    const quantity = Math.random() < 0.5 ? null : 1 + int(12);
    try {
      if (Math.random() < 0.4) {
        const other = pick([...known]);
        const { rows } = await run(
          pool,
          `SELECT transfer_item($1, i.inventory_id, i.grid_x, i.grid_y, $3, NULL, NULL, 'fuzz') AS r
             FROM inventory_items i WHERE i.id = $2`,
          [itemId, other, quantity],
        );
        if (rows.length === 0) known.delete(other);
        return rows.length ? remember(rows[0].r, itemId) : 'NOT_FOUND';
      }
      const toInventoryId = pick(inventoryIds);
      const result = await transfer(pool, {
        itemId,
        toInventoryId,
        gridX: int(9),
        gridY: int(7),
        quantity,
        reason: 'fuzz',
      });
      return remember(result, itemId);
    } catch (error) {
      const code = inventoryErrorOf(error)?.code ?? (error as { code?: string }).code ?? 'UNKNOWN';
      if (code === 'NOT_FOUND') known.delete(itemId);
      return code;
    }
  }

  function remember(
    result: { operation: string; item: { id: string }; source: unknown },
    itemId: string,
  ): string {
    known.add(result.item.id);
    if (result.operation === 'merged' && result.source === null) known.delete(itemId);
    return result.operation;
  }

  it(`keeps every unit through ${OPERATIONS} random concurrent transfers by ${WORKERS} workers`, async () => {
    const before = await totalsByTemplate(pool);
    const outcomes: Record<string, number> = {};
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        while (next++ < OPERATIONS) {
          const outcome = await randomTransfer();
          outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `# conservation: ${OPERATIONS} ops in ${seconds.toFixed(1)} s: ${JSON.stringify(outcomes)}\n`,
    );

    for (const outcome of Object.keys(outcomes))
      assert.ok(
        ['moved', 'split', 'merged'].includes(outcome) || EXPECTED.has(outcome),
        `unexpected ${outcome}`,
      );
    for (const operation of ['moved', 'split', 'merged'])
      assert.ok((outcomes[operation] ?? 0) > 50, operation);
    assert.deepEqual(await totalsByTemplate(pool), before);
    assert.deepEqual(await violations(pool), { overlaps: 0, badStacks: 0, outside: 0 });
    const { state, replay } = await stateAndReplay(pool);
    assert.deepEqual(replay, state);
    const weights = await pool.query(
      `SELECT count(*)::int AS n FROM inventories WHERE max_weight IS NOT NULL AND inventory_weight(id) > max_weight + 1e-9
          AND id = ANY($1::uuid[])`,
      [inventoryIds],
    );
    assert.equal(weights.rows[0].n, 0, 'no inventory over its weight limit');
  });
});
