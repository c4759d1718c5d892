import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import type { Pool } from 'pg';
import { ConfigError } from '@trustno1/config';
import { createPrismaClient, type PrismaClient } from '@trustno1/db';
import { factories, FakeClock, openTestStores, type Factories, type TestStores } from '@trustno1/testing';
import { ChunkKeysService } from '../chunks/chunk-keys.service';
import { ChunksRepository } from '../chunks/chunks.repository';
import { VehiclesRepository } from './vehicles.repository';
import { loadVehiclesConfig } from './vehicles-config';
import { VehiclesService } from './vehicles.service';

const HOUR = 3600;
const SERVER = '00000000-0000-4000-8000-000000000001';
// The defaults: 24 h until abandoned, then 10 % of max health per hour, batches of 500.
const config = loadVehiclesConfig({});
const AT = { position: { x: 10, y: 5, z: -3 }, rotation: { x: 0, y: 0, z: 0, w: 1 } };

describe('vehicle abandonment decay with a fake clock (real PostgreSQL)', () => {
  let stores: TestStores;
  let pool: Pool;
  let prisma: PrismaClient;
  let f: Factories;
  let clock: FakeClock;
  let vehicles: VehiclesService;
  let keys: ChunkKeysService;

  beforeAll(async () => {
    stores = await openTestStores(4);
    pool = stores.pool;
    prisma = createPrismaClient(pool);
    f = factories(pool);
    // The spawning server: the vehicle's inventory counts on it and lies in its region.
    await f.gameServer({ id: SERVER, region: 'eu-west' });
    clock = new FakeClock(Date.UTC(2026, 0, 1));
    keys = new ChunkKeysService(stores.redis, new ChunksRepository(prisma), clock);
    vehicles = new VehiclesService(prisma, new VehiclesRepository(), clock, config, keys);
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await stores?.close();
  });

  const health = async (id: string) =>
    (await pool.query<{ health: number }>(`SELECT health FROM vehicles WHERE id = $1`, [id])).rows[0]?.health;
  const at = (hoursFromStart: number) => new Date(Date.UTC(2026, 0, 1) + hoursFromStart * HOUR * 1000);
  /** Decay is global: each test spawns at its own instant, far from the others'. */
  let epoch = 0;
  const freshStart = () => {
    epoch += 1000;
    clock.ms = at(epoch).getTime();
    return epoch;
  };

  it('leaves a vehicle alone for 24 h, then takes 10 % of max health per hour', async () => {
    const start = freshStart();
    const v = await vehicles.spawn(SERVER, { templateId: 'sedan', ...AT }, undefined);
    assert.equal(v.health, 800);
    const inventory = await pool.query(`SELECT server_id, region FROM inventories WHERE id = $1`, [
      v.inventoryId,
    ]);
    assert.deepEqual(inventory.rows, [{ server_id: SERVER, region: 'eu-west' }], "the spawning server's");
    await vehicles.decay(at(start + 24));
    assert.equal(await health(v.id), 800, 'exactly 24 h unused: not yet abandoned');
    await vehicles.decay(at(start + 26.5));
    assert.equal(await health(v.id), 800 - 0.1 * 800 * 2.5);
    await vehicles.decay(at(start + 27.5));
    assert.equal(await health(v.id), 800 - 0.1 * 800 * 3.5, 'the next tick counts from the last one');
  });

  it('applies a tick once when it runs twice, and several short ticks equal one long one', async () => {
    const start = freshStart();
    const a = await vehicles.spawn(SERVER, { templateId: 'motorbike', ...AT }, undefined);
    const b = await vehicles.spawn(SERVER, { templateId: 'motorbike', ...AT }, undefined);
    for (const h of [25, 26, 27, 28]) await vehicles.decay(at(start + h));
    await vehicles.decay(at(start + 28));
    await vehicles.decay(at(start + 28));
    assert.equal(await health(a.id), 400 - 0.1 * 400 * 4);
    assert.equal(await health(b.id), await health(a.id));
    // The same tick in parallel: row locks and last_decay_at let one of them apply it.
    await Promise.all([vehicles.decay(at(start + 30)), vehicles.decay(at(start + 30))]);
    assert.equal(await health(a.id), 400 - 0.1 * 400 * 6);
  });

  it('counts the 24 h from the last use, so a vehicle in use never decays', async () => {
    const start = freshStart();
    const v = await vehicles.spawn(SERVER, { templateId: 'pickup_truck', ...AT }, undefined);
    clock.ms = at(start + 20).getTime();
    await vehicles.update({ vehicleId: v.id, fuelCurrent: 50 }, undefined);
    await vehicles.decay(at(start + 40));
    assert.equal(await health(v.id), 1200, '20 h since the last use');
    await vehicles.decay(at(start + 46));
    assert.equal(await health(v.id), 1200 - 0.1 * 1200 * 2);
  });

  it('destroys a vehicle at zero: its items leave through item_ledger, then the rows go', async () => {
    const start = freshStart();
    const v = await vehicles.spawn(SERVER, { templateId: 'rowboat', ...AT }, undefined);
    const tpl = await f.itemTemplate({ maxStack: 10 });
    await pool.query(`SELECT add_item($1, $2, 7, 0, 0, NULL, NULL, NULL, 'loot', NULL)`, [
      v.inventoryId,
      tpl.id,
    ]);
    await pool.query(`SELECT add_item($1, $2, 3, 1, 0, NULL, NULL, NULL, 'loot', NULL)`, [
      v.inventoryId,
      tpl.id,
    ]);
    await vehicles.decay(at(start + 24 + 9.5));
    assert.ok((await health(v.id)) > 0);
    const result = await vehicles.decay(at(start + 24 + 10));
    assert.deepEqual(result.destroyed, [v.id]);
    assert.equal(await health(v.id), undefined);
    const inventories = await pool.query(`SELECT 1 FROM inventories WHERE id = $1`, [v.inventoryId]);
    assert.equal(inventories.rowCount, 0);
    const ledger = await pool.query<{
      operation: string;
      quantity: number;
      reason: string;
      reference: string;
    }>(
      `SELECT operation, quantity, reason, reference FROM item_ledger
        WHERE from_inventory_id = $1 AND to_inventory_id IS NULL ORDER BY quantity`,
      [v.inventoryId],
    );
    assert.deepEqual(
      ledger.rows.map((r) => [r.operation, r.quantity, r.reason, r.reference]),
      [
        ['destroy', 3, 'vehicle_decayed', `vehicle:${v.id}`],
        ['destroy', 7, 'vehicle_decayed', `vehicle:${v.id}`],
      ],
    );
    const events = await pool.query<{ payload: { vehicleId: string } }>(
      `SELECT payload FROM outbox WHERE subject = 'evt.world.vehicle.destroyed.v1'`,
    );
    assert.ok(events.rows.some((e) => e.payload.vehicleId === v.id));
    assert.deepEqual((await vehicles.decay(at(start + 24 + 11))).destroyed, []);
  });

  it('works through more vehicles than one batch', async () => {
    const start = freshStart();
    const n = config.VEHICLE_DECAY_BATCH + 20;
    await pool.query(
      `INSERT INTO vehicles (id, template_id, position, rotation, chunk_x, chunk_z, fuel_current, fuel_max,
                             health, max_health, last_used)
       SELECT gen_random_uuid(), 'sedan', '{"x":0,"y":0,"z":0}', '{"x":0,"y":0,"z":0,"w":1}', 0, 0, 1, 80,
              800, 800, $1 FROM generate_series(1, $2)`,
      [at(start), n],
    );
    const result = await vehicles.decay(at(start + 25));
    assert.ok(result.decayed >= n, `${result.decayed} decayed`);
    const left = await pool.query(`SELECT 1 FROM vehicles WHERE last_used = $1 AND health = 720`, [
      at(start),
    ]);
    assert.equal(left.rowCount, n);
  });
  it('follows a configured rule, and refuses a bad one naming the variable', async () => {
    const start = freshStart();
    const fast = new VehiclesService(
      prisma,
      new VehiclesRepository(),
      clock,
      loadVehiclesConfig({ VEHICLE_ABANDON_HOURS: '1', VEHICLE_DECAY_PER_HOUR: '0.5' }),
      keys,
    );
    const v = await fast.spawn(SERVER, { templateId: 'minicopter', ...AT }, undefined);
    await fast.decay(at(start + 2));
    assert.equal(await health(v.id), 750 - 0.5 * 750);
    for (const [name, value] of [
      ['VEHICLE_DECAY_PER_HOUR', '2'],
      ['VEHICLE_ABANDON_HOURS', '-1'],
      ['VEHICLE_DECAY_BATCH', 'many'],
    ])
      assert.throws(
        () => loadVehiclesConfig({ [name]: value }),
        (error: unknown) => error instanceof ConfigError && error.message.includes(name),
      );
  });
});
