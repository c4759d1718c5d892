/**
 * Every inventory made by any path carries its server and that server's region (issue 11): the
 * structure storage world places, a vehicle's inventory, the container a destroyed structure
 * spills into, a corpse. So the active-items limit counts items stored there, and the access rule
 * refuses a server of another region. Called as the world and combat services call them.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { Pool } from 'pg';
import { createTestDatabase, factories, type GameServerRow, type TestDatabase } from '@trustno1/testing';

const LIMIT = 3;

describe('server and region of inventories made by world paths', () => {
  let db: TestDatabase;
  let pool: Pool;
  let server: GameServerRow;
  let owner: string;

  /** place_structure as the world service calls it, with a 4 x 4 storage. */
  async function storage(serverId: string | null): Promise<string> {
    const id = randomUUID();
    const { rows } = await pool.query<{ view: { storage: { inventoryId: string } } }>(
      `SELECT place_structure($1, $2, NULL, 'storage_box', '{"x":5,"y":0,"z":5}', '{"x":0,"y":0,"z":0,"w":1}',
                              '{}', '{}', 100, 0, true, false, 4, 4, 30, 10000, now(), $3) AS view`,
      [id, owner, serverId],
    );
    return rows[0].view.storage.inventoryId;
  }

  /** The vehicle inventory, as the world service's VehiclesRepository creates it. */
  async function vehicleInventory(serverId: string): Promise<string> {
    const { rows } = await pool.query<{ id: string }>(
      `SELECT inventory.create_inventory($1, $2, 'vehicle', 4, 4, NULL, $3, now()) AS id`,
      [randomUUID(), randomUUID(), serverId],
    );
    return rows[0].id;
  }

  const addStone = (inventoryId: string) =>
    pool.query(`SELECT add_item($1, 'stone_t', 1, NULL, NULL, NULL, NULL, NULL, 'loot')`, [inventoryId]);
  const row = async (id: string) =>
    (
      await pool.query<{ server_id: string | null; region: string | null }>(
        `SELECT server_id, region FROM inventories WHERE id = $1`,
        [id],
      )
    ).rows[0];
  const counted = async (serverId: string) =>
    Number(
      (await pool.query(`SELECT items FROM server_item_counts WHERE server_id = $1`, [serverId])).rows[0]
        ?.items ?? 0,
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 4 });
    const f = factories(pool);
    await f.itemTemplate({ id: 'stone_t', maxStack: 100 });
    server = await f.gameServer({ region: 'eu-west' });
    owner = (await f.character()).id;
    await pool.query(`UPDATE inventory_settings SET max_items_per_server = $1`, [LIMIT]);
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('structure storage and vehicle inventories carry the creating server and its region', async () => {
    const stored = await storage(server.id);
    const vehicle = await vehicleInventory(server.id);
    assert.deepEqual(await row(stored), { server_id: server.id, region: 'eu-west' });
    assert.deepEqual(await row(vehicle), { server_id: server.id, region: 'eu-west' });
  });

  it('the active-items limit holds through a structure storage and a vehicle inventory', async () => {
    const f = factories(pool);
    const game = await f.gameServer();
    const stored = await storage(game.id);
    const vehicle = await vehicleInventory(game.id);
    await addStone(stored);
    await addStone(stored);
    await addStone(vehicle);
    assert.equal(await counted(game.id), LIMIT);
    for (const inventoryId of [stored, vehicle]) {
      await assert.rejects(addStone(inventoryId), { message: 'LIMIT_REACHED' });
    }
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n FROM inventory_items WHERE inventory_id = ANY($1::uuid[])`,
      [[stored, vehicle]],
    );
    assert.equal(rows[0].n, LIMIT, 'nothing was added past the limit');
    assert.equal(await counted(game.id), LIMIT);
  });

  it('a destroyed structure spills into a container of the same server and region', async () => {
    const f = factories(pool);
    const game = await f.gameServer({ region: 'us-east' });
    const stored = await storage(game.id);
    await addStone(stored);
    const { rows } = await pool.query<{ id: string }>(
      `SELECT inventory.spill_inventory($1, $2, 'structure_destroyed', 'test') AS id`,
      [stored, randomUUID()],
    );
    assert.deepEqual(await row(rows[0].id), { server_id: game.id, region: 'us-east' });
    assert.equal(await counted(game.id), 1, 'the item stays counted on its server');
  });

  it("a corpse lies in its character's server's region", async () => {
    const f = factories(pool);
    const game = await f.gameServer({ region: 'ap-south' });
    const dead = await f.character();
    await pool.query(`UPDATE players SET server_id = $2 WHERE id = $1`, [dead.id, game.id]);
    const { rows } = await pool.query<{ id: string }>(
      `SELECT inventory.create_corpse($1, '{"x":0,"y":0,"z":0}') AS id`,
      [dead.id],
    );
    assert.deepEqual(await row(rows[0].id), { server_id: game.id, region: 'ap-south' });
  });

  it('a server acts on world inventories of its own region only; legacy rows without one stay open', async () => {
    const f = factories(pool);
    const [here, there] = [
      await f.gameServer({ region: 'eu-west' }),
      await f.gameServer({ region: 'us-east' }),
    ];
    const stored = await storage(here.id);
    const legacy = await storage(null);
    const access = (s: GameServerRow, id: string) =>
      pool.query(`SELECT inv_require_access($1::jsonb, ARRAY[$2::uuid])`, [
        JSON.stringify({ kind: 'server', serverId: s.id, region: s.region }),
        id,
      ]);
    await access(here, stored);
    await access(server, stored); // another server of the same region
    await assert.rejects(access(there, stored), (e: { message: string; detail: string }) => {
      assert.equal(e.message, 'FORBIDDEN');
      assert.equal(JSON.parse(e.detail).reason, 'OTHER_REGION');
      return true;
    });
    assert.equal((await row(legacy)).region, null);
    await access(there, legacy);
    await assert.rejects(access(there, randomUUID()), { message: 'NOT_FOUND' });
  });
});
