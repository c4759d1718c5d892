import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { Redis } from 'ioredis';
import { BusClient } from '@trustno1/bus';
import {
  WorldSubjects,
  type AppError,
  type ChunkView,
  type VehicleCatalogEntryView,
} from '@trustno1/contracts';
import { RedisKeys, TTL } from '@trustno1/redis';
import {
  registerServer,
  signUp,
  startCluster,
  TEST_ADMIN_KEY,
  type TestCluster,
  type ErrorBody,
} from '@trustno1/testing';
import { decodeTerrain, terrainPayload } from '@trustno1/world-domain';

// Chunks far apart per test, so counts and keys of one test are never touched by another.
let nextChunk = 1000;
const freshChunk = () => {
  nextChunk += 10;
  return { x: nextChunk, z: -nextChunk };
};

describe('world: catalogs and chunks through the gateway', () => {
  let cluster: TestCluster;
  let pool: Pool;
  let redis: Redis;
  let server: Record<string, string>;
  let player: Record<string, string>;
  let bus: BusClient;

  beforeAll(async () => {
    // accounts authenticates server keys and player sessions for the gateway.
    cluster = await startCluster(['accounts', 'world', 'gateway']);
    ({ pool, redis } = cluster);
    server = (await registerServer(cluster.url, TEST_ADMIN_KEY)).headers;
    player = (await signUp(cluster.url)).headers;
    bus = new BusClient({ ...cluster.bus, serviceName: 'world-test' });
  });

  afterAll(async () => {
    await bus?.close();
    await cluster?.stop();
  });

  const get = (path: string, headers: Record<string, string> = server) =>
    fetch(`${cluster.url}${path}`, { headers });
  const chunkRows = async (x?: number, z?: number) => {
    const { rows } = await pool.query<{ n: string }>(
      x === undefined
        ? 'SELECT count(*) AS n FROM world_chunks'
        : 'SELECT count(*) AS n FROM world_chunks WHERE x = $1 AND z = $2',
      x === undefined ? [] : [x, z],
    );
    return Number(rows[0].n);
  };
  const storedRow = async (x: number, z: number) =>
    (
      await pool.query<{
        terrain_data: Buffer;
        resource_nodes: unknown;
        biome_type: string;
        last_loaded: Date;
      }>(
        'SELECT terrain_data, resource_nodes, biome_type, last_loaded FROM world_chunks WHERE x = $1 AND z = $2',
        [x, z],
      )
    ).rows[0];

  it('lists the structure catalog with the tool cupboard', async () => {
    const response = await get('/v1/catalog/structures');
    assert.equal(response.status, 200);
    const body = (await response.json()) as Record<string, unknown>[];
    assert.ok(body.length > 10);
    for (const entry of body) {
      assert.deepEqual(Object.keys(entry).sort(), [
        'decayPerHour',
        'id',
        'maxHealth',
        'repair',
        'tier',
        'upkeep',
      ]);
      assert.ok((entry.decayPerHour as number) > 0 && (entry.maxHealth as number) > 0);
      assert.ok(Array.isArray(entry.upkeep));
      assert.ok(Array.isArray(entry.repair) && (entry.repair as unknown[]).length > 0);
    }
    const cupboard = body.find((s) => s.id === 'tool_cupboard');
    assert.ok(cupboard, 'tool_cupboard is in the catalog');
  });

  it('lists the vehicle catalog', async () => {
    const response = await get('/v1/catalog/vehicles');
    assert.equal(response.status, 200);
    const body = (await response.json()) as VehicleCatalogEntryView[];
    assert.ok(body.some((v) => v.id === 'minicopter'));
    for (const entry of body) {
      assert.deepEqual(Object.keys(entry).sort(), ['fuelMax', 'id', 'inventory', 'maxHealth']);
      assert.deepEqual(Object.keys(entry.inventory).sort(), ['gridHeight', 'gridWidth']);
    }
  });

  it('creates exactly one row under 20 parallel first loads, and all of them answer the stored chunk', async () => {
    const { x, z } = freshChunk();
    const responses = await Promise.all(Array.from({ length: 20 }, () => get(`/v1/chunks/${x}/${z}`)));
    assert.deepEqual(
      responses.map((r) => r.status),
      Array(20).fill(200),
    );
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as ChunkView[];
    assert.equal(await chunkRows(x, z), 1);
    const stored = await storedRow(x, z);
    const expected = terrainPayload(decodeTerrain(stored.terrain_data));
    for (const body of bodies) {
      assert.equal(body.x, x);
      assert.equal(body.z, z);
      assert.equal(body.biomeType, stored.biome_type);
      assert.deepEqual(body.terrain, expected);
      assert.deepEqual(body.resourceNodes, stored.resource_nodes);
      assert.deepEqual(body.structures, []);
      assert.deepEqual(body.vehicles, []);
    }
    assert.equal(expected.size, 65);
    assert.equal(Buffer.from(expected.heights, 'base64').length, 65 * 65 * 4);
  });

  it('reads a stored chunk back identical, moves last_loaded, and differs from its neighbour', async () => {
    const { x, z } = freshChunk();
    const first = (await (await get(`/v1/chunks/${x}/${z}`)).json()) as ChunkView;
    const loadedAt = (await storedRow(x, z)).last_loaded;
    await new Promise((resolve) => setTimeout(resolve, 20));
    const again = await get(`/v1/chunks/${x}/${z}`);
    assert.equal(again.status, 200);
    const second = (await again.json()) as ChunkView;
    assert.equal(second.terrain.heights, first.terrain.heights);
    assert.deepEqual(second.resourceNodes, first.resourceNodes);
    assert.deepEqual(second, first);
    assert.ok((await storedRow(x, z)).last_loaded > loadedAt, 'last_loaded moved');
    assert.equal(await chunkRows(x, z), 1);

    const neighbour = (await (await get(`/v1/chunks/${x + 1}/${z}`)).json()) as ChunkView;
    assert.notEqual(neighbour.terrain.heights, first.terrain.heights);
    assert.equal(neighbour.x, x + 1);
    // Terrain is sampled from world coordinates, so the shared edge is the same in both chunks.
    const east = Buffer.from(first.terrain.heights, 'base64');
    const west = Buffer.from(neighbour.terrain.heights, 'base64');
    for (let j = 0; j < 65; j++)
      assert.equal(east.readFloatLE((j * 65 + 64) * 4), west.readFloatLE(j * 65 * 4));
  });

  it('keeps the chunk modified key in Redis with the inactivity TTL, renewed on load', async () => {
    const { x, z } = freshChunk();
    assert.equal((await get(`/v1/chunks/${x}/${z}`)).status, 200);
    const key = RedisKeys.chunkModified(x, z);
    const ttl = await redis.ttl(key);
    assert.ok(ttl > 0 && ttl <= TTL.chunkInactive, `ttl ${ttl}`);
    const stamp = Number(await redis.get(key));
    assert.ok(Number.isSafeInteger(stamp) && Math.abs(stamp - Date.now()) < 60_000);
    await redis.expire(key, 5);
    assert.equal((await get(`/v1/chunks/${x}/${z}`)).status, 200);
    assert.ok((await redis.ttl(key)) > 5, 'a load renews the TTL');
  });

  for (const [label, path, field] of [
    ['a fractional x', '/v1/chunks/1.5/0', 'x'],
    ['a word for z', '/v1/chunks/3/abc', 'z'],
    ['x beyond ±1e6', '/v1/chunks/10000000/0', 'x'],
    ['x in exponent notation', '/v1/chunks/1e7/0', 'x'],
    ['z just past the limit', '/v1/chunks/0/-1000001', 'z'],
  ] as const) {
    it(`refuses ${label} with 400 naming ${field}, and writes nothing`, async () => {
      const rowsBefore = await chunkRows();
      const keysBefore = await redis.keys('chunk:*');
      const response = await get(path);
      assert.equal(response.status, 400);
      const body = (await response.json()) as ErrorBody;
      assert.equal(body.error.code, 'VALIDATION_FAILED');
      assert.deepEqual(
        body.error.details?.fields?.map((f) => f.field),
        [field],
      );
      assert.equal(await chunkRows(), rowsBefore);
      assert.deepEqual((await redis.keys('chunk:*')).sort(), keysBefore.sort());
    });
  }

  it('accepts the edges of the coordinate range', async () => {
    assert.equal((await get('/v1/chunks/1000000/-1000000')).status, 200);
    assert.equal(await chunkRows(1_000_000, -1_000_000), 1);
  });

  for (const [who, headers, status, code] of [
    ['a player', () => player, 403, 'FORBIDDEN'],
    ['nobody', () => ({}), 401, 'UNAUTHENTICATED'],
  ] as const) {
    it(`refuses ${who} on every world route, and writes nothing`, async () => {
      const { x, z } = freshChunk();
      for (const path of ['/v1/catalog/structures', '/v1/catalog/vehicles', `/v1/chunks/${x}/${z}`]) {
        const response = await get(path, headers());
        assert.equal(response.status, status, path);
        assert.equal(((await response.json()) as ErrorBody).error.code, code);
      }
      assert.equal(await chunkRows(x, z), 0);
      assert.equal(await redis.exists(RedisKeys.chunkModified(x, z)), 0);
    });
  }

  it('validates and authorizes again for callers on NATS directly', async () => {
    const asServer = { principal: { kind: 'server' as const, serverId: randomUUID(), region: 'eu-west' } };
    const rowsBefore = await chunkRows();
    for (const [payload, field] of [
      [{ x: 1.5, z: 0 }, 'x'],
      [{ x: 0, z: 1e7 }, 'z'],
      [{ x: '3', z: 0 }, 'x'],
    ] as const) {
      await assert.rejects(bus.request(WorldSubjects.loadChunk, payload, asServer), (error: AppError) => {
        assert.equal(error.code, 'VALIDATION_FAILED');
        assert.deepEqual(
          (error.details as { fields: { field: string }[] }).fields.map((f) => f.field),
          [field],
        );
        return true;
      });
    }
    assert.equal(await chunkRows(), rowsBefore);
    const { x, z } = freshChunk();
    await assert.rejects(
      bus.request(
        WorldSubjects.loadChunk,
        { x, z },
        { principal: { kind: 'player', accountId: randomUUID() } },
      ),
      (error: AppError) => error.code === 'FORBIDDEN',
    );
    await assert.rejects(
      bus.request(WorldSubjects.structureCatalog, {}, { principal: { kind: 'anonymous' } }),
      (error: AppError) => error.code === 'UNAUTHENTICATED',
    );
    assert.equal(await chunkRows(x, z), 0);
    const view = await bus.request<{ x: number; biomeType: string }>(
      WorldSubjects.loadChunk,
      { x, z },
      asServer,
    );
    assert.equal(view.x, x);
    assert.equal(await chunkRows(x, z), 1);
  });

  it('creates exactly one row when 20 first loads reach the service at the same instant', async () => {
    // Through the gateway the loads arrive a little staggered (each authenticates first); on NATS
    // they land together, so every one of them misses the row and inserts.
    const { x, z } = freshChunk();
    const asServer = { principal: { kind: 'server' as const, serverId: randomUUID(), region: 'eu-west' } };
    const views = await Promise.all(
      Array.from({ length: 20 }, () => bus.request<ChunkView>(WorldSubjects.loadChunk, { x, z }, asServer)),
    );
    assert.equal(await chunkRows(x, z), 1);
    for (const view of views) assert.deepEqual(view, views[0]);
  });
});
