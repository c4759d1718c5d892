// apply_structure_decay and its neighbours against the real database, with a fake clock: every
// tick is a parameter, so hours pass without sleeping. The expected health comes from applyDecay in
// libs/world-domain, the rule the procedure implements.
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { FakeClock, factories, openTestStores, type TestStores } from '@trustno1/testing';
import { applyDecay, WORLD_CATALOGS } from '@trustno1/world-domain';

const HOUR = 3600;
const TYPES = new Map(WORLD_CATALOGS.structures.map((s) => [s.id, s]));

interface Row {
  id: string;
  health: number;
  max_health: number;
  structure_type: string;
  upkeep_paid_until: Date | null;
  decay_protection: boolean;
  decay_applied_at: Date;
}
interface Batch {
  processed: number;
  decayed: number;
  destroyed: number;
  more: boolean;
}

// Each test decays its own chunk, so counts never mix.
let nextChunk = 0;

describe('apply_structure_decay with a fake clock', () => {
  let stores: TestStores;
  let pool: Pool;
  let ownerId: string;

  beforeAll(async () => {
    stores = await openTestStores();
    pool = stores.pool;
    ownerId = (await factories(pool).character()).id;
  });

  afterAll(() => stores?.close());

  /** place_structure as the world service calls it, at the clock's instant. */
  const place = async (type: string, cx: number, at: Date, x = 1): Promise<string> => {
    const t = TYPES.get(type)!;
    const id = randomUUID();
    await pool.query(
      `SELECT place_structure($1, $2, NULL, $3, $4::jsonb, '{"x":0,"y":0,"z":0,"w":1}', '{}', '{}', $5, $6, $7,
                              $8, $9, $10, 30, 10000, $11, NULL)`,
      [
        id,
        ownerId,
        type,
        JSON.stringify({ x: cx * 128 + x, y: 0, z: 5 }),
        t.maxHealth,
        t.decayPerHour,
        t.upkeep.length > 0,
        t.toolCupboard,
        t.storage?.gridWidth ?? null,
        t.storage?.gridHeight ?? null,
        at,
      ],
    );
    return id;
  };
  const decay = async (cx: number, at: Date, limit = 500): Promise<Batch> =>
    (await pool.query<{ r: Batch }>('SELECT apply_structure_decay($1, 0, $2, $3) AS r', [cx, at, limit]))
      .rows[0].r;
  const row = async (id: string): Promise<Row | undefined> =>
    (await pool.query<Row>('SELECT * FROM structures WHERE id = $1', [id])).rows[0];
  const expected = (before: Row, lastAppliedAt: Date, now: Date) =>
    applyDecay(
      {
        tier: TYPES.get(before.structure_type)!.tier,
        health: before.health,
        maxHealth: before.max_health,
        upkeepPaidUntil: before.upkeep_paid_until,
        decayProtection: before.decay_protection,
      },
      lastAppliedAt,
      now,
    );
  const payUntil = (id: string, until: Date) =>
    pool.query('UPDATE structures SET upkeep_paid_until = $2 WHERE id = $1', [id, until]);

  it('takes each tier from full health to zero in its own number of hours', async () => {
    const clock = new FakeClock();
    const cx = (nextChunk += 1);
    const start = clock.now();
    const walls = await Promise.all(
      ['twig', 'wood', 'stone', 'metal', 'armored'].map((tier) => place(`wall_${tier}`, cx, start)),
    );
    const rows = await Promise.all(walls.map((id) => row(id)));
    clock.advance(HOUR);
    const batch = await decay(cx, clock.now());
    assert.deepEqual(batch, { processed: 5, decayed: 4, destroyed: 1, more: false });
    assert.equal(await row(walls[0]), undefined, 'twig lasts one hour');
    for (const [i, id] of walls.entries()) {
      if (i === 0) continue;
      const want = expected(rows[i]!, start, clock.now());
      const got = (await row(id))!;
      assert.ok(
        Math.abs(got.health - want.health) < 1e-9,
        `${got.structure_type}: ${got.health} vs ${want.health}`,
      );
      assert.equal(got.decay_applied_at.getTime(), clock.ms);
    }
    // wood: 3 h, stone 5 h, metal 8 h, armored 12 h in all.
    for (const [hours, survivors] of [
      [3, 3],
      [5, 2],
      [8, 1],
      [12, 0],
    ] as const) {
      clock.ms = start.getTime() + hours * HOUR * 1000;
      await decay(cx, clock.now());
      const { rows: left } = await pool.query('SELECT 1 FROM structures WHERE chunk_x = $1', [cx]);
      assert.equal(left.length, survivors, `after ${hours} h`);
    }
  });

  it('does not decay paid upkeep, decays only the lapsed part, and always decays unprotected ones', async () => {
    const clock = new FakeClock();
    const cx = (nextChunk += 1);
    const start = clock.now();
    const paid = await place('wall_stone', cx, start);
    const lapsing = await place('wall_stone', cx, start);
    const unprotected = await place('wall_stone', cx, start);
    await pool.query('UPDATE structures SET decay_protection = false WHERE id = $1', [unprotected]);
    await payUntil(paid, new Date(start.getTime() + 10 * HOUR * 1000));
    await payUntil(lapsing, new Date(start.getTime() + 2 * HOUR * 1000));
    await payUntil(unprotected, new Date(start.getTime() + 10 * HOUR * 1000));
    const before = {
      paid: (await row(paid))!,
      lapsing: (await row(lapsing))!,
      unprotected: (await row(unprotected))!,
    };
    clock.advance(3 * HOUR);
    const batch = await decay(cx, clock.now());
    assert.deepEqual(batch, { processed: 2, decayed: 2, destroyed: 0, more: false });
    const max = TYPES.get('wall_stone')!.maxHealth;
    const perHour = TYPES.get('wall_stone')!.decayPerHour;
    assert.equal((await row(paid))!.health, max, 'paid upkeep protects');
    assert.ok(Math.abs((await row(lapsing))!.health - (max - perHour)) < 1e-9, 'one lapsed hour of three');
    assert.ok(
      Math.abs((await row(unprotected))!.health - (max - 3 * perHour)) < 1e-9,
      'unprotected: all three',
    );
    for (const [id, b] of [
      [lapsing, before.lapsing],
      [unprotected, before.unprotected],
    ] as const) {
      const want = expected(b, start, clock.now());
      assert.ok(Math.abs((await row(id))!.health - want.health) < 1e-9);
    }
  });

  it('applies a tick once however often it runs, and short steps equal one long one', async () => {
    const clock = new FakeClock();
    const cx = (nextChunk += 1);
    const start = clock.now();
    const stepped = await place('wall_metal', cx, start);
    const cx2 = (nextChunk += 1);
    const once = await place('wall_metal', cx2, start);
    clock.advance(2 * HOUR);
    const tick = clock.now();
    const first = await decay(cx, tick);
    const again = await decay(cx, tick);
    const earlier = await decay(cx, new Date(tick.getTime() - HOUR * 1000));
    assert.equal(first.processed, 1);
    assert.deepEqual([again.processed, earlier.processed], [0, 0]);
    const afterTwice = (await row(stepped))!.health;
    for (let i = 1; i <= 12; i++) {
      clock.advance(HOUR / 4);
      await decay(cx, clock.now());
    }
    await decay(cx2, clock.now());
    assert.ok(Math.abs((await row(stepped))!.health - (await row(once))!.health) < 1e-9);
    const perHour = TYPES.get('wall_metal')!.decayPerHour;
    assert.ok(Math.abs(afterTwice - (TYPES.get('wall_metal')!.maxHealth - 2 * perHour)) < 1e-9);
  });

  it('destroys at zero: storage into a container through the ledger, and a destroyed event', async () => {
    const clock = new FakeClock();
    const cx = (nextChunk += 1);
    const box = await place('storage_box_small', cx, clock.now());
    const { rows } = await pool.query<{ inventory_id: string }>(
      'SELECT inventory_id FROM structure_storage WHERE structure_id = $1',
      [box],
    );
    const inventoryId = rows[0].inventory_id;
    const tpl = await factories(pool).itemTemplate({ maxStack: 10 });
    await pool.query(`SELECT add_item($1, $2, 4, 2, 1, NULL, NULL, NULL, 'test')`, [inventoryId, tpl.id]);
    clock.advance(3 * HOUR); // wood tier: 3 hours
    assert.deepEqual(await decay(cx, clock.now()), { processed: 1, decayed: 0, destroyed: 1, more: false });
    assert.equal(await row(box), undefined);
    const event = (
      await pool.query<{ payload: { containerInventoryId: string; cause: string; structureId: string } }>(
        `SELECT payload FROM outbox WHERE subject = 'evt.world.structure.destroyed.v1' AND payload->>'structureId' = $1`,
        [box],
      )
    ).rows;
    assert.equal(event.length, 1);
    assert.equal(event[0].payload.cause, 'decay');
    const container = event[0].payload.containerInventoryId;
    const items = (
      await pool.query(
        'SELECT grid_x, grid_y, quantity, item_template_id FROM inventory_items WHERE inventory_id = $1',
        [container],
      )
    ).rows;
    assert.deepEqual(items, [{ grid_x: 2, grid_y: 1, quantity: 4, item_template_id: tpl.id }]);
    const ledger = (
      await pool.query(
        `SELECT operation, reason, from_inventory_id, quantity FROM item_ledger WHERE to_inventory_id = $1`,
        [container],
      )
    ).rows;
    assert.deepEqual(ledger, [
      { operation: 'move', reason: 'structure_destroyed', from_inventory_id: inventoryId, quantity: 4 },
    ]);
  });

  it('works through a big chunk in batches', async () => {
    const clock = new FakeClock();
    const cx = (nextChunk += 1);
    for (let i = 0; i < 25; i++) await place('floor_wood', cx, clock.now(), i + 0.5);
    clock.advance(HOUR);
    const batches = [
      await decay(cx, clock.now(), 10),
      await decay(cx, clock.now(), 10),
      await decay(cx, clock.now(), 10),
    ];
    assert.deepEqual(
      batches.map((b) => [b.processed, b.more]),
      [
        [10, true],
        [10, true],
        [5, false],
      ],
    );
    assert.equal((await decay(cx, clock.now(), 10)).processed, 0);
  });

  it('lists the chunks with decay to apply, and not those whose upkeep is paid', async () => {
    const clock = new FakeClock();
    const lapsedChunk = (nextChunk += 1);
    const paidChunk = (nextChunk += 1);
    await place('wall_wood', lapsedChunk, clock.now());
    const paid = await place('wall_wood', paidChunk, clock.now());
    await payUntil(paid, new Date(clock.ms + 24 * HOUR * 1000));
    clock.advance(HOUR);
    const { rows } = await pool.query<{ chunk_x: number }>('SELECT chunk_x FROM structure_decay_chunks($1)', [
      clock.now(),
    ]);
    const chunks = rows.map((r) => r.chunk_x);
    assert.ok(chunks.includes(lapsedChunk));
    assert.ok(!chunks.includes(paidChunk));
    await decay(lapsedChunk, clock.now());
    const again = (
      await pool.query<{ chunk_x: number }>('SELECT chunk_x FROM structure_decay_chunks($1)', [clock.now()])
    ).rows;
    assert.ok(!again.some((r) => r.chunk_x === lapsedChunk), 'nothing left to apply at this tick');
  });

  it('applies pending decay before upkeep is paid late, so lapsed hours are not forgiven', async () => {
    const clock = new FakeClock();
    const cx = (nextChunk += 1);
    const wall = await place('wall_stone', cx, clock.now());
    clock.advance(2 * HOUR);
    // No costs: what upkeep takes from a cupboard is structures.e2e's; here only the decay.
    await pool.query(`SELECT pay_structure_upkeep($1, $2, $3, '{}'::jsonb, 'test')`, [
      wall,
      new Date(clock.ms + 24 * HOUR * 1000),
      clock.now(),
    ]);
    const t = TYPES.get('wall_stone')!;
    const got = (await row(wall))!;
    assert.ok(Math.abs(got.health - (t.maxHealth - 2 * t.decayPerHour)) < 1e-9, `${got.health}`);
    clock.advance(HOUR);
    assert.equal((await decay(cx, clock.now())).processed, 0, 'paid now');
  });

  it('refuses a bad chunk, tick or batch size naming the field', async () => {
    for (const [args, field] of [
      [[null, 0, new Date(), 10], 'chunkX'],
      [[0, 0, null, 10], 'tick'],
      [[0, 0, new Date(), 0], 'limit'],
    ] as const) {
      await assert.rejects(
        pool.query('SELECT apply_structure_decay($1, $2, $3, $4)', [...args]),
        (error: { message: string; detail: string }) =>
          error.message === 'VALIDATION_FAILED' &&
          (JSON.parse(error.detail) as { field: string }).field === field,
      );
    }
  });
});
