import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { BusClient } from '@trustno1/bus';
import {
  StructureSubjects,
  type AppError,
  type DecayChunkView,
  type StructureView,
  type UpkeepView,
} from '@trustno1/contracts';
import {
  factories,
  registerServer,
  signUp,
  startCluster,
  TEST_ADMIN_KEY,
  type TestCluster,
  call as callGateway,
  codeOf,
  detailsOf,
  fieldsOf,
} from '@trustno1/testing';
import { WORLD_CATALOGS } from '@trustno1/world-domain';

const ROTATION = { x: 0, y: 0, z: 0, w: 1 };

/** The error body of a refused request. */
interface ErrorBody {
  error: { code: string; details?: Record<string, unknown> };
}
const CUPBOARD = WORLD_CATALOGS.structures.find((s) => s.id === 'tool_cupboard')!;

// Every test builds in its own chunk row (z), far from the others, so cupboards never meet.
let nextZ = 0;
const freshZ = () => (nextZ += 1024);

describe('world: structures, tool cupboards and destruction through the gateway', () => {
  let cluster: TestCluster;
  let pool: Pool;
  let server: { id: string; headers: Record<string, string> };
  let player: Record<string, string>;
  let bus: BusClient;

  beforeAll(async () => {
    cluster = await startCluster(['accounts', 'world', 'gateway']);
    pool = cluster.pool;
    server = await registerServer(cluster.url, TEST_ADMIN_KEY);
    player = (await signUp(cluster.url)).headers;
    bus = new BusClient({ ...cluster.bus, serviceName: 'structures-test' });
  });

  afterAll(async () => {
    await bus?.close();
    await cluster?.stop();
  });

  const call = <T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = server.headers,
  ) => callGateway<T>(cluster.url, method, path, { headers, body });

  /** A character joined to the test server, as placement requires. */
  const owner = async (factionId?: string): Promise<string> => {
    const { id } = await factories(pool).character();
    await pool.query('UPDATE players SET server_id = $2, faction_id = $3 WHERE id = $1', [
      id,
      server.id,
      factionId ?? null,
    ]);
    return id;
  };
  const place = (
    ownerId: string,
    structureType: string,
    x: number,
    z: number,
    extra: Record<string, unknown> = {},
  ) =>
    call<StructureView>('POST', '/v1/structures', {
      ownerId,
      structureType,
      position: { x, y: 10, z },
      rotation: ROTATION,
      buildData: {},
      ...extra,
    });
  const placed = async (ownerId: string, type: string, x: number, z: number) => {
    const reply = await place(ownerId, type, x, z);
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    return reply.body;
  };

  /** Every row a structure request may write, hashed: a refused request leaves it unchanged. */
  const checksum = async () =>
    (
      await pool.query<{ sum: string }>(
        `SELECT concat_ws(':',
           (SELECT md5(COALESCE(string_agg(t::text, '|' ORDER BY t.id), '')) FROM structures t),
           (SELECT md5(COALESCE(string_agg(t::text, '|' ORDER BY t.structure_id), '')) FROM structure_storage t),
           (SELECT md5(COALESCE(string_agg(t::text, '|' ORDER BY t.id), '')) FROM inventories t),
           (SELECT md5(COALESCE(string_agg(t::text, '|' ORDER BY t.id), '')) FROM inventory_items t),
           (SELECT count(*) FROM item_ledger), (SELECT count(*) FROM outbox)) AS sum`,
      )
    ).rows[0].sum;

  describe('placement', () => {
    it('places a wall in the chunk of its position, at full health, with its build data', async () => {
      const ownerId = await owner();
      const z = freshZ();
      const reply = await place(ownerId, 'wall_stone', -0.5, z + 5, {
        buildData: { modules: [{ socket: 'window', part: 'window_bars', skin: 3 }], skin: 1 },
      });
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
      const wall = reply.body;
      const type = WORLD_CATALOGS.structures.find((s) => s.id === 'wall_stone')!;
      assert.equal(wall.chunkX, -1);
      assert.equal(wall.chunkZ, Math.floor((z + 5) / 128));
      assert.equal(wall.health, type.maxHealth);
      assert.equal(wall.maxHealth, type.maxHealth);
      assert.equal(wall.decayPerHour, type.decayPerHour);
      assert.equal(wall.decayProtection, true);
      assert.equal(wall.upkeepPaidUntil, null);
      assert.equal(wall.storage, null);
      assert.deepEqual(wall.buildData, {
        modules: [{ socket: 'window', part: 'window_bars', skin: 3 }],
        skin: 1,
      });
      assert.deepEqual(wall.permissions, { ownerId, factionId: null });
      const got = await call<StructureView>('GET', `/v1/structures/${wall.id}`);
      assert.equal(got.status, 200);
      assert.deepEqual(got.body, wall);
      const chunk = await call<{ structures: { id: string }[] }>('GET', `/v1/chunks/-1/${wall.chunkZ}`);
      assert.ok(
        chunk.body.structures.some((s) => s.id === wall.id),
        'the chunk lists it',
      );
    });

    it('stamps the chunk’s last_modified when a structure is placed or destroyed, not when damaged', async () => {
      const z = freshZ();
      const cz = Math.floor(z / 128);
      assert.equal((await call('GET', `/v1/chunks/7/${cz}`)).status, 200);
      const age = () =>
        pool.query(`UPDATE world_chunks SET last_modified = '2000-01-01Z' WHERE x = 7 AND z = $1`, [cz]);
      const stampedYear = async () =>
        (
          (await pool.query(`SELECT last_modified FROM world_chunks WHERE x = 7 AND z = $1`, [cz])).rows[0]
            .last_modified as Date
        ).getUTCFullYear();
      await age();
      const wall = await placed(await owner(), 'wall_stone', 7 * 128 + 5, z + 5);
      assert.ok((await stampedYear()) > 2000, 'placement stamps the chunk');
      await age();
      const hit = await call('POST', `/v1/structures/${wall.id}/damage`, { amount: 1 });
      assert.equal(hit.status, 200);
      assert.equal(await stampedYear(), 2000, 'damage does not');
      const destroyed = await call('POST', `/v1/structures/${wall.id}/damage`, { amount: wall.maxHealth });
      assert.equal(destroyed.status, 200);
      assert.ok((await stampedYear()) > 2000, 'destruction stamps the chunk');
    });

    it('gives twig no decay protection: it costs no upkeep', async () => {
      const twig = await placed(await owner(), 'foundation_twig', 3, freshZ());
      assert.equal(twig.decayProtection, false);
    });

    it('creates a cupboard with its inventory and the builder authorized', async () => {
      const ownerId = await owner();
      const cupboard = await placed(ownerId, 'tool_cupboard', 10, freshZ());
      assert.ok(cupboard.storage);
      assert.deepEqual(cupboard.storage.authorizedPlayers, [ownerId]);
      assert.equal(cupboard.storage.tcRange, 30);
      const { rows } = await pool.query(
        'SELECT owner_id, owner_type, grid_width, grid_height FROM inventories WHERE id = $1',
        [cupboard.storage.inventoryId],
      );
      assert.deepEqual(rows, [
        {
          owner_id: cupboard.id,
          owner_type: 'structure',
          grid_width: CUPBOARD.storage!.gridWidth,
          grid_height: CUPBOARD.storage!.gridHeight,
        },
      ]);
      const box = await placed(ownerId, 'storage_box_small', 12, cupboard.position.z);
      assert.equal(box.storage?.tcRange, null);
      assert.deepEqual(box.storage?.authorizedPlayers, [ownerId]);
    });

    it('answers a repeated Idempotency-Key with the same structure, placed once', async () => {
      const ownerId = await owner();
      const z = freshZ();
      const body = {
        ownerId,
        structureType: 'wall_wood',
        position: { x: 1, y: 0, z },
        rotation: ROTATION,
        buildData: {},
      };
      const headers = { ...server.headers, 'idempotency-key': `place-${randomUUID()}` };
      const [a, b] = await Promise.all([
        call<StructureView>('POST', '/v1/structures', body, headers),
        call<StructureView>('POST', '/v1/structures', body, headers),
      ]);
      assert.equal(a.status, 201);
      assert.equal(b.status, 201);
      assert.equal(a.body.id, b.body.id);
      const { rows } = await pool.query('SELECT count(*)::int AS n FROM structures WHERE owner_id = $1', [
        ownerId,
      ]);
      assert.equal(rows[0].n, 1);
      const other = await call('POST', '/v1/structures', { ...body, structureType: 'wall_stone' }, headers);
      assert.equal(other.status, 409);
      assert.equal(codeOf(other), 'IDEMPOTENCY_KEY_REUSED');
    });
  });

  describe('the tool-cupboard rule', () => {
    it('lets the owner build inside, blocks a stranger inside, lets a stranger build outside', async () => {
      const builder = await owner();
      const stranger = await owner();
      const z = freshZ() + 40;
      const cupboard = await placed(builder, 'tool_cupboard', 40, z);
      await placed(builder, 'wall_wood', 40 + 29.9, z);
      const before = await checksum();
      const blocked = await place(stranger, 'wall_wood', 40 + 20, z + 20);
      assert.equal(blocked.status, 422);
      assert.equal(codeOf(blocked), 'BUILD_BLOCKED');
      assert.equal(detailsOf(blocked).reason, 'TOOL_CUPBOARD');
      assert.equal(detailsOf(blocked).cupboardId, cupboard.id);
      assert.equal(await checksum(), before, 'a blocked placement writes nothing');
      // 30.5 units away horizontally: outside the 30-unit range (height does not matter).
      await placed(stranger, 'wall_wood', 40 + 30.5, z);
    });

    it('lets an authorized stranger build inside, and blocks again after deauthorization', async () => {
      const builder = await owner();
      const friend = await owner();
      const z = freshZ() + 40;
      const cupboard = await placed(builder, 'tool_cupboard', 40, z);
      const auth = await call<StructureView>('POST', `/v1/structures/${cupboard.id}/authorize`, {
        playerId: friend,
      });
      assert.equal(auth.status, 200);
      assert.deepEqual(auth.body.storage?.authorizedPlayers, [builder, friend]);
      const again = await call<StructureView>('POST', `/v1/structures/${cupboard.id}/authorize`, {
        playerId: friend,
      });
      assert.deepEqual(
        again.body.storage?.authorizedPlayers,
        [builder, friend],
        'authorizing twice lists once',
      );
      await placed(friend, 'wall_wood', 45, z + 5);
      const off = await call<StructureView>('POST', `/v1/structures/${cupboard.id}/deauthorize`, {
        playerId: friend,
      });
      assert.equal(off.status, 200);
      assert.deepEqual(off.body.storage?.authorizedPlayers, [builder]);
      const blocked = await place(friend, 'wall_wood', 46, z + 5);
      assert.equal(codeOf(blocked), 'BUILD_BLOCKED');
      const offAgain = await call<StructureView>('POST', `/v1/structures/${cupboard.id}/deauthorize`, {
        playerId: friend,
      });
      assert.deepEqual(offAgain.body.storage?.authorizedPlayers, [builder]);
    });

    it('lets one of ten strangers racing to put cupboards side by side across a chunk border win', async () => {
      const owners = await Promise.all(Array.from({ length: 10 }, () => owner()));
      const z = freshZ() + 64;
      const asServer = { principal: { kind: 'server' as const, serverId: server.id, region: 'eu-west' } };
      const results = await Promise.allSettled(
        owners.map((ownerId, i) =>
          bus.request<StructureView>(
            StructureSubjects.place,
            {
              ownerId,
              structureType: 'tool_cupboard',
              position: { x: 119 + 2 * i, y: 0, z }, // 119 to 137: chunks 0 and 1
              rotation: ROTATION,
              buildData: {},
            },
            asServer,
          ),
        ),
      );
      const codes = results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as AppError).code));
      assert.equal(codes.filter((c) => c === 'ok').length, 1, codes.join());
      assert.equal(codes.filter((c) => c === 'BUILD_BLOCKED').length, 9, codes.join());
      const { rows } = await pool.query(
        `SELECT count(*)::int AS n FROM structures WHERE structure_type = 'tool_cupboard' AND owner_id = ANY($1)`,
        [owners],
      );
      assert.equal(rows[0].n, 1);
    });

    it('finds a cupboard across the chunk border', async () => {
      const builder = await owner();
      const stranger = await owner();
      const z = freshZ() + 127;
      await placed(builder, 'tool_cupboard', 127.5, z); // chunk (0, n), its corner
      const east = await place(stranger, 'wall_wood', 140, z); // chunk (1, n)
      assert.equal(codeOf(east), 'BUILD_BLOCKED');
      const northEast = await place(stranger, 'wall_wood', 140, z + 10); // chunk (1, n + 1)
      assert.equal(codeOf(northEast), 'BUILD_BLOCKED');
      await placed(stranger, 'wall_wood', 160, z + 10); // 33.9 away
    });

    it('blocks building in a territory that forbids it unless the builder’s faction owns it', async () => {
      const factionId = randomUUID();
      await pool.query(`INSERT INTO factions (id, name, tag) VALUES ($1, $2, 'BLD')`, [
        factionId,
        `f-${factionId.slice(0, 8)}`,
      ]);
      const z = freshZ();
      const territoryId = randomUUID();
      await pool.query(
        `INSERT INTO territories (id, name, center_x, center_z, radius, owner_faction_id, building_allowed)
         VALUES ($1, 'keep', 500, $2, 50, $3, false)`,
        [territoryId, z, factionId],
      );
      const member = await owner(factionId);
      const outsider = await owner();
      const before = await checksum();
      const blocked = await place(outsider, 'wall_wood', 520, z + 20);
      assert.equal(blocked.status, 422);
      assert.equal(codeOf(blocked), 'BUILD_BLOCKED');
      assert.deepEqual(
        [detailsOf(blocked).reason, detailsOf(blocked).territoryId],
        ['TERRITORY', territoryId],
      );
      const memberWithoutFaction = await place(member, 'wall_wood', 520, z + 20);
      assert.equal(codeOf(memberWithoutFaction), 'BUILD_BLOCKED', 'the faction is what the rule looks at');
      const lying = await place(outsider, 'wall_wood', 520, z + 20, { factionId });
      assert.equal(lying.status, 400);
      assert.deepEqual(fieldsOf(lying), ['factionId']);
      assert.equal(await checksum(), before);
      await placed(outsider, 'wall_wood', 560, z); // 60 from the centre
      const built = await place(member, 'wall_wood', 520, z + 20, { factionId });
      assert.equal(built.status, 201, JSON.stringify(built.body));
      assert.equal(built.body.factionId, factionId);
    });
  });

  describe('the chunk limit', () => {
    /** 9,999 (or `n`) structures of `ownerId` in chunk (cx, cz), in one statement. */
    const fill = async (ownerId: string, cx: number, cz: number, n: number) => {
      await pool.query(
        `INSERT INTO structures (id, chunk_x, chunk_z, position, rotation, structure_type, owner_id, health,
                                 max_health, build_data, permissions, decay_per_hour)
         SELECT gen_random_uuid(), $2, $3,
                jsonb_build_object('x', $2 * 128 + (g % 100) + 0.5, 'y', 0, 'z', $3 * 128 + (g / 100) + 0.5),
                '{"x":0,"y":0,"z":0,"w":1}', 'foundation_twig', $1, 10, 10, '{}', '{}', 10
           FROM generate_series(1, $4) g`,
        [ownerId, cx, cz, n],
      );
    };

    it('takes the 10,000th structure of a chunk and refuses the 10,001st with LIMIT_REACHED', async () => {
      const ownerId = await owner();
      const cz = Math.floor(freshZ() / 128);
      await fill(ownerId, 50, cz, 9_999);
      const x = 50 * 128 + 64;
      await placed(ownerId, 'foundation_twig', x, cz * 128 + 110);
      const before = await checksum();
      const refused = await place(ownerId, 'foundation_twig', x, cz * 128 + 111);
      assert.equal(refused.status, 422);
      assert.equal(codeOf(refused), 'LIMIT_REACHED');
      assert.deepEqual(
        [detailsOf(refused).limit, detailsOf(refused).chunkX, detailsOf(refused).chunkZ],
        [10_000, 50, cz],
      );
      assert.equal(await checksum(), before);
      const { rows } = await pool.query(
        'SELECT count(*)::int AS n FROM structures WHERE chunk_x = 50 AND chunk_z = $1',
        [cz],
      );
      assert.equal(rows[0].n, 10_000);
    });

    it('lets exactly the free places through when 30 placements race at the limit', async () => {
      const ownerId = await owner();
      const cz = Math.floor(freshZ() / 128);
      await fill(ownerId, 60, cz, 9_990);
      const asServer = { principal: { kind: 'server' as const, serverId: server.id, region: 'eu-west' } };
      const results = await Promise.allSettled(
        Array.from({ length: 30 }, (_, i) =>
          bus.request<StructureView>(
            StructureSubjects.place,
            {
              ownerId,
              structureType: 'foundation_twig',
              position: { x: 60 * 128 + 2 * i + 1, y: 0, z: cz * 128 + 120 },
              rotation: ROTATION,
              buildData: {},
            },
            asServer,
          ),
        ),
      );
      const ok = results.filter((r) => r.status === 'fulfilled').length;
      const refused = results.filter(
        (r) => r.status === 'rejected' && (r.reason as AppError).code === 'LIMIT_REACHED',
      ).length;
      assert.deepEqual([ok, refused], [10, 20]);
      const { rows } = await pool.query(
        'SELECT count(*)::int AS n FROM structures WHERE chunk_x = 60 AND chunk_z = $1',
        [cz],
      );
      assert.equal(rows[0].n, 10_000);
    });
  });

  /** Puts `quantity` of a catalog resource into an inventory (at a cell, or the first free one). */
  const stock = async (inventoryId: string, templateId: string, quantity: number, at?: [number, number]) => {
    await factories(pool).itemTemplate({ id: templateId, maxStack: 1000, weight: 0.01 });
    await pool.query(`SELECT add_item($1, $2, $3, $4, $5, NULL, NULL, NULL, 'test')`, [
      inventoryId,
      templateId,
      quantity,
      at?.[0] ?? null,
      at?.[1] ?? null,
    ]);
  };
  /** Quantity per template in an inventory. */
  const holdings = async (inventoryId: string) =>
    Object.fromEntries(
      (
        await pool.query<{ t: string; n: number }>(
          `SELECT item_template_id AS t, sum(quantity)::int AS n FROM inventory_items
            WHERE inventory_id = $1 GROUP BY 1 ORDER BY 1`,
          [inventoryId],
        )
      ).rows.map((r) => [r.t, r.n]),
    );
  /** The item ledger rows a structure's upkeep or repair wrote. */
  const costRows = async (structureId: string) =>
    (
      await pool.query<{
        template_id: string;
        quantity: number;
        operation: string;
        reason: string;
        to: string | null;
      }>(
        `SELECT template_id, quantity, operation, reason, to_inventory_id AS to, from_inventory_id AS from
           FROM item_ledger WHERE reference = $1 ORDER BY id`,
        [`structure:${structureId}`],
      )
    ).rows;

  describe('damage, repair, upkeep and destruction', () => {
    it('damages, repairs up to the maximum, and stamps last_damaged', async () => {
      const builder = await owner();
      const z = freshZ();
      const cupboard = await placed(builder, 'tool_cupboard', 0, z);
      await stock(cupboard.storage!.inventoryId, 'wood', 100);
      const wall = await placed(builder, 'wall_wood', 5, z);
      const hit = await call<{ health: number; destroyed: boolean }>(
        'POST',
        `/v1/structures/${wall.id}/damage`,
        {
          amount: 100,
          attackerId: randomUUID(),
        },
      );
      assert.equal(hit.status, 200);
      assert.deepEqual(hit.body, {
        health: wall.maxHealth - 100,
        destroyed: false,
        containerInventoryId: null,
        damageApplied: 100,
        offlineProtected: false,
      });
      const repaired = await call<StructureView>('POST', `/v1/structures/${wall.id}/repair`, {
        amount: 1_000,
      });
      assert.equal(repaired.status, 200);
      assert.equal(repaired.body.health, wall.maxHealth);
      assert.ok(repaired.body.lastDamaged);
    });

    it('pays upkeep for the whole base at its cupboard, and never shortens it', async () => {
      const builder = await owner();
      const friend = await owner();
      const stranger = await owner();
      const z = freshZ() + 60;
      const cupboard = await placed(builder, 'tool_cupboard', 60, z);
      await stock(cupboard.storage!.inventoryId, 'wood', 100);
      await stock(cupboard.storage!.inventoryId, 'stone', 500);
      await call('POST', `/v1/structures/${cupboard.id}/authorize`, { playerId: friend });
      const mine = await placed(builder, 'wall_stone', 70, z);
      const friends = await placed(friend, 'wall_stone', 60, z + 20);
      const far = await placed(builder, 'wall_stone', 100, z); // 40 away
      const strangers = await placed(stranger, 'wall_stone', 200, z);
      const paidUntil = new Date(Date.now() + 3 * 86_400_000).toISOString();
      const paid = await call<StructureView & { covered: number }>(
        'POST',
        `/v1/structures/${cupboard.id}/upkeep`,
        {
          paidUntil,
        },
      );
      assert.equal(paid.status, 200, JSON.stringify(paid.body));
      assert.equal(paid.body.covered, 3);
      // Three days of the cupboard (10 wood a day) and two stone walls (30 stone a day each).
      assert.deepEqual(await holdings(cupboard.storage!.inventoryId), { stone: 320, wood: 70 });
      assert.deepEqual((paid.body as unknown as { cost: unknown }).cost, [
        { itemTemplateId: 'stone', amount: 180 },
        { itemTemplateId: 'wood', amount: 30 },
      ]);
      const until = async (id: string) =>
        (
          await pool.query<{ u: Date | null }>(
            'SELECT upkeep_paid_until AS u FROM structures WHERE id = $1',
            [id],
          )
        ).rows[0].u;
      for (const s of [cupboard, mine, friends]) assert.equal((await until(s.id))?.toISOString(), paidUntil);
      for (const s of [far, strangers]) assert.equal(await until(s.id), null);
      const shorter = new Date(Date.now() + 86_400_000).toISOString();
      const again = await call<{ covered: number; upkeepPaidUntil: string }>(
        'POST',
        `/v1/structures/${mine.id}/upkeep`,
        {
          paidUntil: shorter,
        },
      );
      assert.equal(again.status, 200);
      assert.equal(again.body.covered, 0);
      assert.equal(new Date(again.body.upkeepPaidUntil).toISOString(), paidUntil);
    });

    it('destroys at zero health: storage items move to a container through the ledger, and an event is written', async () => {
      const builder = await owner();
      const box = await placed(builder, 'storage_box_small', 20, freshZ());
      const inventoryId = box.storage!.inventoryId;
      const tpl = await factories(pool).itemTemplate({ maxStack: 50 });
      await pool.query(`SELECT add_item($1, $2, 7, 1, 2, NULL, NULL, NULL, 'test')`, [inventoryId, tpl.id]);
      await pool.query(`SELECT add_item($1, $2, 3, 0, 0, NULL, NULL, NULL, 'test')`, [inventoryId, tpl.id]);
      await pool.query(`UPDATE inventories SET locked = true, lock_code = '1234' WHERE id = $1`, [
        inventoryId,
      ]);
      const items = (
        await pool.query<{ id: string; grid_x: number; grid_y: number; quantity: number }>(
          'SELECT id, grid_x, grid_y, quantity FROM inventory_items WHERE inventory_id = $1 ORDER BY id',
          [inventoryId],
        )
      ).rows;
      const attackerId = randomUUID();
      const hit = await call<{ health: number; destroyed: boolean; containerInventoryId: string }>(
        'POST',
        `/v1/structures/${box.id}/damage`,
        { amount: 1e6, attackerId, explosive: true },
      );
      assert.equal(hit.status, 200, JSON.stringify(hit.body));
      assert.equal(hit.body.health, 0);
      assert.equal(hit.body.destroyed, true);
      const container = hit.body.containerInventoryId;
      assert.ok(container);
      const moved = (
        await pool.query(
          'SELECT id, grid_x, grid_y, quantity FROM inventory_items WHERE inventory_id = $1 ORDER BY id',
          [container],
        )
      ).rows;
      assert.deepEqual(moved, items, 'every item, same cell, same quantity');
      const ledger = (
        await pool.query(
          `SELECT item_id, from_inventory_id, to_inventory_id, quantity, operation, reason FROM item_ledger
            WHERE to_inventory_id = $1 ORDER BY item_id`,
          [container],
        )
      ).rows;
      assert.deepEqual(
        ledger,
        items.map((i) => ({
          item_id: i.id,
          from_inventory_id: inventoryId,
          to_inventory_id: container,
          quantity: i.quantity,
          operation: 'move',
          reason: 'structure_destroyed',
        })),
      );
      const { rows: inv } = await pool.query('SELECT owner_id, owner_type FROM inventories WHERE id = $1', [
        container,
      ]);
      assert.deepEqual(inv, [{ owner_id: box.id, owner_type: 'container' }]);
      for (const [table, column, id] of [
        ['structures', 'id', box.id],
        ['structure_storage', 'structure_id', box.id],
        ['inventories', 'id', inventoryId],
      ])
        assert.equal(
          (await pool.query(`SELECT 1 FROM ${table} WHERE ${column} = $1`, [id])).rowCount,
          0,
          table,
        );
      const { rows: events } = await pool.query<{ payload: Record<string, unknown> }>(
        `SELECT payload FROM outbox WHERE subject = 'evt.world.structure.destroyed.v1' AND payload->>'structureId' = $1`,
        [box.id],
      );
      assert.equal(events.length, 1);
      assert.deepEqual(
        [
          events[0].payload.cause,
          events[0].payload.attackerId,
          events[0].payload.explosive,
          events[0].payload.containerInventoryId,
        ],
        ['damage', attackerId, true, container],
      );
      assert.deepEqual(events[0].payload.position, box.position);
      const gone = await call('POST', `/v1/structures/${box.id}/damage`, { amount: 1 });
      assert.equal(gone.status, 404);
    });

    it('applies a damage retried with the same Idempotency-Key once', async () => {
      const wall = await placed(await owner(), 'wall_stone', 5, freshZ());
      const headers = { ...server.headers, 'idempotency-key': `hit-${randomUUID()}` };
      const hits = await Promise.all(
        [0, 1, 2].map(() =>
          call<{ health: number }>('POST', `/v1/structures/${wall.id}/damage`, { amount: 40 }, headers),
        ),
      );
      assert.deepEqual(
        hits.map((h) => [h.status, h.body.health]),
        Array(3).fill([200, wall.maxHealth - 40]),
      );
      const got = await call<StructureView>('GET', `/v1/structures/${wall.id}`);
      assert.equal(got.body.health, wall.maxHealth - 40);
    });

    it('destroys an empty cupboard without a container', async () => {
      const cupboard = await placed(await owner(), 'tool_cupboard', 20, freshZ());
      const hit = await call('POST', `/v1/structures/${cupboard.id}/damage`, { amount: CUPBOARD.maxHealth });
      assert.deepEqual(hit.body, {
        health: 0,
        destroyed: true,
        containerInventoryId: null,
        damageApplied: CUPBOARD.maxHealth,
        offlineProtected: false,
      });
      assert.equal(
        (await pool.query('SELECT 1 FROM inventories WHERE id = $1', [cupboard.storage!.inventoryId]))
          .rowCount,
        0,
      );
    });
  });

  describe('upkeep and repair paid from the tool cupboard', () => {
    /** A cupboard of a fresh builder, and a stone wall of theirs inside its range. */
    const base = async () => {
      const builder = await owner();
      const z = freshZ();
      const cupboard = await placed(builder, 'tool_cupboard', 0, z);
      const wall = await placed(builder, 'wall_stone', 10, z);
      return { builder, cupboard, wall, storage: cupboard.storage!.inventoryId, z };
    };
    const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString();

    it('takes exactly the upkeep out of the cupboard, smallest stack first, one consume ledger row per stack', async () => {
      const { wall, storage } = await base();
      await stock(storage, 'stone', 20, [0, 0]);
      await stock(storage, 'stone', 60, [1, 0]);
      await stock(storage, 'wood', 40, [2, 0]);
      const paid = await call<UpkeepView>('POST', `/v1/structures/${wall.id}/upkeep`, {
        paidUntil: tomorrow(),
      });
      assert.equal(paid.status, 200, JSON.stringify(paid.body));
      // One day of a stone wall: 30 stone; the cupboard's own upkeep is paid at the cupboard.
      assert.equal(paid.body.covered, 1);
      assert.deepEqual(paid.body.cost, [{ itemTemplateId: 'stone', amount: 30 }]);
      assert.deepEqual(await holdings(storage), { stone: 50, wood: 40 });
      assert.deepEqual(await costRows(wall.id), [
        {
          template_id: 'stone',
          quantity: 20,
          operation: 'consume',
          reason: 'upkeep',
          to: null,
          from: storage,
        },
        {
          template_id: 'stone',
          quantity: 10,
          operation: 'consume',
          reason: 'upkeep',
          to: null,
          from: storage,
        },
      ]);
    });

    it('refuses upkeep the cupboard cannot pay with 422 INSUFFICIENT_RESOURCES: health, items and ledger unchanged', async () => {
      const { wall, storage, cupboard } = await base();
      await stock(storage, 'stone', 29);
      // Lapsed for two hours: a committed payment would apply that decay first.
      await pool.query(
        `UPDATE structures SET decay_applied_at = now() - interval '2 hours', upkeep_paid_until = NULL WHERE id = $1`,
        [wall.id],
      );
      const before = await checksum();
      const refused = await call<ErrorBody>('POST', `/v1/structures/${wall.id}/upkeep`, {
        paidUntil: tomorrow(),
      });
      assert.equal(refused.status, 422);
      assert.equal(refused.body.error.code, 'INSUFFICIENT_RESOURCES');
      assert.deepEqual(
        [
          refused.body.error.details?.reason,
          refused.body.error.details?.cupboardId,
          refused.body.error.details?.missing,
        ],
        ['MISSING_ITEMS', cupboard.id, [{ itemTemplateId: 'stone', required: 30, available: 29 }]],
      );
      assert.equal(await checksum(), before);
      assert.deepEqual(await holdings(storage), { stone: 29 });
      assert.deepEqual(await costRows(wall.id), []);
      // Paying for the whole base at the cupboard is refused the same way.
      const atCupboard = await call<ErrorBody>('POST', `/v1/structures/${cupboard.id}/upkeep`, {
        paidUntil: tomorrow(),
      });
      assert.equal(atCupboard.status, 422);
      assert.equal(await checksum(), before);
    });

    it('refuses upkeep and repair of a structure no cupboard of its owner covers (NO_CUPBOARD), changing nothing', async () => {
      const loner = await placed(await owner(), 'wall_stone', 10, freshZ());
      await call('POST', `/v1/structures/${loner.id}/damage`, { amount: 100 });
      // A stranger's stocked cupboard next to it pays nothing for it.
      const strangers = await placed(await owner(), 'tool_cupboard', 12, loner.position.z);
      await stock(strangers.storage!.inventoryId, 'stone', 500);
      const before = await checksum();
      for (const [path, body] of [
        ['upkeep', { paidUntil: tomorrow() }],
        ['repair', { amount: 50 }],
      ] as const) {
        const refused = await call<ErrorBody>('POST', `/v1/structures/${loner.id}/${path}`, body);
        assert.equal(refused.status, 422, path);
        assert.deepEqual(
          [refused.body.error.code, refused.body.error.details?.reason],
          ['INSUFFICIENT_RESOURCES', 'NO_CUPBOARD'],
        );
      }
      assert.equal(await checksum(), before);
    });

    it('repairs for its share of the catalog cost, rounded up, and refuses a repair the cupboard cannot pay', async () => {
      const { wall, storage } = await base();
      await stock(storage, 'stone', 16);
      await call('POST', `/v1/structures/${wall.id}/damage`, { amount: 300 });
      // 100 of 500 health: a fifth of the 75 stone a full repair takes.
      const repaired = await call<StructureView>('POST', `/v1/structures/${wall.id}/repair`, { amount: 100 });
      assert.equal(repaired.status, 200, JSON.stringify(repaired.body));
      assert.equal(repaired.body.health, wall.maxHealth - 200);
      assert.deepEqual(await holdings(storage), { stone: 1 });
      // A sliver of health still costs a whole stone: tiny repairs are not free.
      const sliver = await call<StructureView>('POST', `/v1/structures/${wall.id}/repair`, { amount: 0.001 });
      assert.equal(sliver.status, 200);
      assert.deepEqual(await holdings(storage), {});
      assert.deepEqual(
        (await costRows(wall.id)).map((r) => [r.quantity, r.operation, r.reason]),
        [
          [15, 'consume', 'repair'],
          [1, 'consume', 'repair'],
        ],
      );
      const before = await checksum();
      const refused = await call<ErrorBody>('POST', `/v1/structures/${wall.id}/repair`, { amount: 100 });
      assert.equal(refused.status, 422);
      assert.equal(refused.body.error.code, 'INSUFFICIENT_RESOURCES');
      assert.deepEqual(refused.body.error.details?.missing, [
        { itemTemplateId: 'stone', required: 15, available: 0 },
      ]);
      assert.equal(await checksum(), before);
      const after = await call<StructureView>('GET', `/v1/structures/${wall.id}`);
      assert.equal(after.body.health, repaired.body.health + 0.001);
    });

    it('repairs a structure at full health for nothing', async () => {
      const { wall } = await base();
      const before = await checksum();
      const repaired = await call<StructureView>('POST', `/v1/structures/${wall.id}/repair`, { amount: 50 });
      assert.equal(repaired.status, 200);
      assert.equal(repaired.body.health, wall.maxHealth);
      assert.equal(await checksum(), before);
    });

    it('lets 20 racing repairs spend a stock that pays for 10: exactly 10 succeed, the rest 422', async () => {
      const { wall, storage } = await base();
      await stock(storage, 'stone', 30);
      await call('POST', `/v1/structures/${wall.id}/damage`, { amount: 450 });
      // Each repair of 20 health costs ceil(75 × 20 / 500) = 3 stone.
      const replies = await Promise.all(
        Array.from({ length: 20 }, () => call('POST', `/v1/structures/${wall.id}/repair`, { amount: 20 })),
      );
      const statuses = replies.map((r) => r.status).sort();
      assert.deepEqual(statuses, [...Array(10).fill(200), ...Array(10).fill(422)]);
      assert.deepEqual(await holdings(storage), {});
      const after = await call<StructureView>('GET', `/v1/structures/${wall.id}`);
      assert.equal(after.body.health, wall.maxHealth - 450 + 10 * 20);
      assert.equal(
        (await costRows(wall.id)).reduce((sum, r) => sum + r.quantity, 0),
        30,
      );
    });
  });

  describe('the decay subjects', () => {
    it('decay a chunk at a tick once, however often the job runs', async () => {
      const wall = await placed(await owner(), 'wall_wood', 1, freshZ());
      const tick = new Date(Date.parse(wall.createdAt) + 3_600_000).toISOString();
      const admin = { principal: { kind: 'admin' as const } };
      const listed = await bus.request<{ chunks: { chunkX: number; chunkZ: number }[] }>(
        StructureSubjects.decayChunks,
        { tick },
        admin,
      );
      assert.ok(listed.chunks.some((c) => c.chunkX === wall.chunkX && c.chunkZ === wall.chunkZ));
      const request = { chunkX: wall.chunkX, chunkZ: wall.chunkZ, tick };
      const first = await bus.request<DecayChunkView>(StructureSubjects.decayChunk, request, admin);
      const second = await bus.request<DecayChunkView>(StructureSubjects.decayChunk, request, admin);
      assert.deepEqual([first.processed, first.decayed, second.processed], [1, 1, 0]);
      const health = (await call<StructureView>('GET', `/v1/structures/${wall.id}`)).body.health;
      assert.ok(Math.abs(health - (wall.maxHealth - wall.decayPerHour)) < 1e-6, `${health}`);
      await assert.rejects(
        bus.request(StructureSubjects.decayChunk, request, {
          principal: { kind: 'server', serverId: server.id, region: 'eu-west' },
        }),
        (error: AppError) => error.code === 'FORBIDDEN',
      );
    });
  });

  describe('bad input', () => {
    let ownerId: string;
    let wallId: string;
    let cupboardId: string;
    beforeAll(async () => {
      ownerId = await owner();
      const z = freshZ();
      wallId = (await placed(ownerId, 'wall_wood', 300, z)).id;
      cupboardId = (await placed(ownerId, 'tool_cupboard', 400, z)).id;
    });

    const good = () => ({
      ownerId,
      structureType: 'wall_wood',
      position: { x: 300, y: 0, z: nextZ + 300 },
      rotation: ROTATION,
      buildData: {},
    });
    const cases: [string, () => [string, string, unknown], number, string, string[]][] = [
      [
        'a missing ownerId',
        () => ['POST', '/v1/structures', { ...good(), ownerId: undefined }],
        400,
        'VALIDATION_FAILED',
        ['ownerId'],
      ],
      [
        'a number for ownerId',
        () => ['POST', '/v1/structures', { ...good(), ownerId: 7 }],
        400,
        'VALIDATION_FAILED',
        ['ownerId'],
      ],
      [
        'an unknown structure type',
        () => ['POST', '/v1/structures', { ...good(), structureType: 'castle' }],
        400,
        'VALIDATION_FAILED',
        ['structureType'],
      ],
      [
        'a string coordinate',
        () => ['POST', '/v1/structures', { ...good(), position: { x: '1', y: 0, z: 0 } }],
        400,
        'VALIDATION_FAILED',
        ['position.x'],
      ],
      [
        'x beyond the world',
        () => ['POST', '/v1/structures', { ...good(), position: { x: 2e8, y: 0, z: 0 } }],
        400,
        'VALIDATION_FAILED',
        ['position.x'],
      ],
      [
        'a rotation that is no unit quaternion',
        () => ['POST', '/v1/structures', { ...good(), rotation: { x: 0.5, y: 0, z: 0, w: 0.5 } }],
        400,
        'VALIDATION_FAILED',
        ['rotation'],
      ],
      [
        'an unknown buildData field',
        () => ['POST', '/v1/structures', { ...good(), buildData: { colour: 'red' } }],
        400,
        'VALIDATION_FAILED',
        ['buildData.colour'],
      ],
      [
        'too many modules',
        () => [
          'POST',
          '/v1/structures',
          {
            ...good(),
            buildData: { modules: Array.from({ length: 33 }, (_, i) => ({ socket: `s${i}`, part: 'p' })) },
          },
        ],
        400,
        'VALIDATION_FAILED',
        ['buildData.modules'],
      ],
      [
        'two modules in one socket',
        () => [
          'POST',
          '/v1/structures',
          {
            ...good(),
            buildData: {
              modules: [
                { socket: 'a', part: 'p' },
                { socket: 'a', part: 'q' },
              ],
            },
          },
        ],
        400,
        'VALIDATION_FAILED',
        ['buildData.modules'],
      ],
      [
        'an unknown body field',
        () => ['POST', '/v1/structures', { ...good(), health: 5 }],
        400,
        'VALIDATION_FAILED',
        ['health'],
      ],
      [
        'an unknown owner',
        () => ['POST', '/v1/structures', { ...good(), ownerId: randomUUID() }],
        404,
        'NOT_FOUND',
        [],
      ],
      [
        'a non-UUID structure id',
        () => ['GET', '/v1/structures/abc', undefined],
        400,
        'VALIDATION_FAILED',
        ['id'],
      ],
      [
        'an unknown structure',
        () => ['GET', `/v1/structures/${randomUUID()}`, undefined],
        404,
        'NOT_FOUND',
        [],
      ],
      [
        'a zero damage',
        () => ['POST', `/v1/structures/${wallId}/damage`, { amount: 0 }],
        400,
        'VALIDATION_FAILED',
        ['amount'],
      ],
      [
        'a string damage',
        () => ['POST', `/v1/structures/${wallId}/damage`, { amount: '5' }],
        400,
        'VALIDATION_FAILED',
        ['amount'],
      ],
      [
        'a bad attackerId',
        () => ['POST', `/v1/structures/${wallId}/damage`, { amount: 5, attackerId: 'x' }],
        400,
        'VALIDATION_FAILED',
        ['attackerId'],
      ],
      [
        'a non-boolean explosive',
        () => ['POST', `/v1/structures/${wallId}/damage`, { amount: 5, explosive: 'yes' }],
        400,
        'VALIDATION_FAILED',
        ['explosive'],
      ],
      [
        'damage to an unknown structure',
        () => ['POST', `/v1/structures/${randomUUID()}/damage`, { amount: 5 }],
        404,
        'NOT_FOUND',
        [],
      ],
      [
        'a negative repair',
        () => ['POST', `/v1/structures/${wallId}/repair`, { amount: -1 }],
        400,
        'VALIDATION_FAILED',
        ['amount'],
      ],
      [
        'a repair of an unknown structure',
        () => ['POST', `/v1/structures/${randomUUID()}/repair`, { amount: 1 }],
        404,
        'NOT_FOUND',
        [],
      ],
      [
        'upkeep in the past',
        () => ['POST', `/v1/structures/${wallId}/upkeep`, { paidUntil: '2020-01-01T00:00:00Z' }],
        400,
        'VALIDATION_FAILED',
        ['paidUntil'],
      ],
      [
        'upkeep a year ahead',
        () => [
          'POST',
          `/v1/structures/${wallId}/upkeep`,
          { paidUntil: new Date(Date.now() + 365 * 86_400_000).toISOString() },
        ],
        400,
        'VALIDATION_FAILED',
        ['paidUntil'],
      ],
      [
        'upkeep that is no date',
        () => ['POST', `/v1/structures/${wallId}/upkeep`, { paidUntil: 'tomorrow' }],
        400,
        'VALIDATION_FAILED',
        ['paidUntil'],
      ],
      [
        'upkeep of an unknown structure',
        () => [
          'POST',
          `/v1/structures/${randomUUID()}/upkeep`,
          { paidUntil: new Date(Date.now() + 3_600_000).toISOString() },
        ],
        404,
        'NOT_FOUND',
        [],
      ],
      [
        'authorizing on a wall',
        () => ['POST', `/v1/structures/${wallId}/authorize`, { playerId: ownerId }],
        400,
        'VALIDATION_FAILED',
        ['structureId'],
      ],
      [
        'authorizing an unknown player',
        () => ['POST', `/v1/structures/${cupboardId}/authorize`, { playerId: randomUUID() }],
        404,
        'NOT_FOUND',
        [],
      ],
      [
        'a bad playerId',
        () => ['POST', `/v1/structures/${cupboardId}/authorize`, { playerId: 12 }],
        400,
        'VALIDATION_FAILED',
        ['playerId'],
      ],
      [
        'deauthorizing on an unknown cupboard',
        () => ['POST', `/v1/structures/${randomUUID()}/deauthorize`, { playerId: ownerId }],
        404,
        'NOT_FOUND',
        [],
      ],
      [
        'a missing deauthorize body field',
        () => ['POST', `/v1/structures/${cupboardId}/deauthorize`, {}],
        400,
        'VALIDATION_FAILED',
        ['playerId'],
      ],
    ];
    for (const [label, request, status, code, fields] of cases) {
      it(`refuses ${label} with ${status} ${code}, and changes nothing`, async () => {
        const before = await checksum();
        const [method, path, body] = request();
        const reply = await call(method, path, body);
        assert.equal(reply.status, status, JSON.stringify(reply.body));
        assert.equal(codeOf(reply), code);
        if (fields.length > 0) assert.deepEqual(fieldsOf(reply), fields);
        assert.equal(await checksum(), before);
      });
    }

    it('refuses a player and nobody on every structure route, writing nothing', async () => {
      const before = await checksum();
      const routes: [string, string, unknown][] = [
        ['POST', '/v1/structures', good()],
        ['GET', `/v1/structures/${wallId}`, undefined],
        ['POST', `/v1/structures/${wallId}/damage`, { amount: 1 }],
        ['POST', `/v1/structures/${wallId}/repair`, { amount: 1 }],
        [
          'POST',
          `/v1/structures/${wallId}/upkeep`,
          { paidUntil: new Date(Date.now() + 3_600_000).toISOString() },
        ],
        ['POST', `/v1/structures/${cupboardId}/authorize`, { playerId: ownerId }],
        ['POST', `/v1/structures/${cupboardId}/deauthorize`, { playerId: ownerId }],
      ];
      for (const [method, path, body] of routes) {
        const asPlayer = await call(method, path, body, player);
        assert.deepEqual([asPlayer.status, codeOf(asPlayer)], [403, 'FORBIDDEN'], `${method} ${path}`);
        const asNobody = await call(method, path, body, { 'content-type': 'application/json' });
        assert.deepEqual([asNobody.status, codeOf(asNobody)], [401, 'UNAUTHENTICATED'], `${method} ${path}`);
      }
      assert.equal(await checksum(), before);
    });

    it('validates again for callers on NATS directly, naming the field, and writes nothing', async () => {
      const asServer = { principal: { kind: 'server' as const, serverId: server.id, region: 'eu-west' } };
      // The decay subject is the worker's: any other caller is refused before its payload is read.
      const callerOf = (subject: string) =>
        subject === StructureSubjects.decayChunk ? { principal: { kind: 'admin' as const } } : asServer;
      const before = await checksum();
      for (const [subject, payload, field] of [
        [StructureSubjects.place, { ...good(), position: { x: 1, y: 0 } }, 'position.z'],
        [StructureSubjects.damage, { structureId: 'nope', amount: 1 }, 'structureId'],
        [StructureSubjects.repair, { structureId: wallId, amount: Number.MAX_VALUE }, 'amount'],
        [StructureSubjects.upkeep, { structureId: wallId, paidUntil: '2026-13-01T00:00:00Z' }, 'paidUntil'],
        [StructureSubjects.authorize, { structureId: cupboardId }, 'playerId'],
        [StructureSubjects.decayChunk, { chunkX: 0.5, chunkZ: 0, tick: new Date().toISOString() }, 'chunkX'],
      ] as const) {
        await assert.rejects(bus.request(subject, payload, callerOf(subject)), (error: AppError) => {
          assert.equal(error.code, 'VALIDATION_FAILED', subject);
          assert.deepEqual(
            (error.details as { fields: { field: string }[] }).fields.map((f) => f.field),
            [field],
            subject,
          );
          return true;
        });
      }
      assert.equal(await checksum(), before);
    });

    it('refuses an owner joined to another server', async () => {
      const other = await registerServer(cluster.url, TEST_ADMIN_KEY);
      const before = await checksum();
      const reply = await call('POST', '/v1/structures', good(), other.headers);
      assert.deepEqual([reply.status, codeOf(reply)], [403, 'FORBIDDEN']);
      assert.equal(await checksum(), before);
    });
  });
});
