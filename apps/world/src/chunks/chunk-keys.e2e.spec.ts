import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import type { Pool } from 'pg';
import type { Redis } from 'ioredis';
import { BusClient } from '@trustno1/bus';
import {
  VehicleSubjects,
  WorldEventSubjects,
  type ExpireEventsView,
  type SpawnEventView,
  type VehicleDecayView,
  type VehicleView,
} from '@trustno1/contracts';
import { RedisKeys, TTL } from '@trustno1/redis';
import { factories, registerServer, startCluster, TEST_ADMIN_KEY, type TestCluster } from '@trustno1/testing';
import { CHUNK_SIZE, referencedItemTemplateIds } from '@trustno1/world-domain';

const ADMIN = { principal: { kind: 'admin' as const } };
const ROTATION = { x: 0, y: 0, z: 0, w: 1 };
const DAY = 24 * 3600_000;

describe("world: the seed's chunk keys `events` and `entities` in Redis", () => {
  let cluster: TestCluster;
  let pool: Pool;
  let redis: Redis;
  let server: Record<string, string>;
  let serverId: string;
  let bus: BusClient;

  beforeAll(async () => {
    cluster = await startCluster(['accounts', 'world', 'gateway']);
    ({ pool, redis } = cluster);
    ({ headers: server, id: serverId } = await registerServer(cluster.url, TEST_ADMIN_KEY));
    bus = new BusClient({ ...cluster.bus, serviceName: 'chunk-keys-test' });
    // The item templates event rewards name, as the inventory's catalog sync would create them.
    const f = factories(pool);
    for (const id of referencedItemTemplateIds()) await f.itemTemplate({ id, maxStack: 50 });
  });
  afterAll(async () => {
    await bus?.close();
    await cluster?.stop();
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${cluster.url}${path}`, {
      method,
      headers: { ...server, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.ok(
      response.status < 300,
      `${method} ${path}: ${response.status} ${await response.clone().text()}`,
    );
    return response.json();
  };
  let tick = 0;
  /** Spawns over NATS as the event_spawn job does; returns the event and its chunk. */
  const spawnEvent = async () => {
    tick += 1;
    const at = new Date(Date.now() - tick * 1000).toISOString();
    const spawned = await bus.request<SpawnEventView>(
      WorldEventSubjects.spawn,
      { templateId: 'airdrop', tick: at },
      ADMIN,
    );
    assert.equal(spawned.status, 'spawned');
    const id = (spawned as { eventId: string }).eventId;
    const { rows } = await pool.query<{ x: number; z: number }>(
      `SELECT chunk_x AS x, chunk_z AS z FROM world_events WHERE id = $1`,
      [id],
    );
    return { id, ...rows[0] };
  };
  const spawnVehicle = async (x: number, z: number) =>
    (await call('POST', '/v1/vehicles', {
      templateId: 'sedan',
      position: { x, y: 4, z },
      rotation: ROTATION,
    })) as VehicleView;
  const entity = async (x: number, z: number, id: string) => {
    const json = await redis.hget(RedisKeys.chunkEntities(x, z), id);
    return json === null ? null : (JSON.parse(json) as unknown);
  };
  const assertTtl = async (key: string) => {
    const ttl = await redis.ttl(key);
    assert.ok(ttl > 0 && ttl <= TTL.chunkInactive, `${key}: ttl ${ttl}`);
  };

  it('puts a spawned event in its chunk events set with the inactive TTL; completion and expiry remove it', async () => {
    const won = await spawnEvent();
    const expiring = await spawnEvent();
    for (const e of [won, expiring]) {
      assert.equal(await redis.sismember(RedisKeys.chunkEvents(e.x, e.z), e.id), 1);
      await assertTtl(RedisKeys.chunkEvents(e.x, e.z));
    }

    const winner = await factories(pool).character();
    await pool.query(`UPDATE players SET server_id = $2 WHERE id = $1`, [winner.id, serverId]);
    await call('POST', `/v1/events/${won.id}/join`, { playerId: winner.id });
    await call('POST', `/v1/events/${won.id}/complete`, { winnerId: winner.id });
    assert.equal(await redis.sismember(RedisKeys.chunkEvents(won.x, won.z), won.id), 0);

    const now = new Date(Date.now() + 30 * DAY).toISOString();
    const { expired } = await bus.request<ExpireEventsView>(WorldEventSubjects.expire, { now }, ADMIN);
    assert.ok(expired.includes(expiring.id));
    assert.equal(await redis.sismember(RedisKeys.chunkEvents(expiring.x, expiring.z), expiring.id), 0);
  });

  it('keeps a vehicle in its chunk entities hash: spawn, a move inside and across a border, decay', async () => {
    const v = await spawnVehicle(5 * CHUNK_SIZE + 10, 7 * CHUNK_SIZE + 10);
    assert.deepEqual([v.chunkX, v.chunkZ], [5, 7]);
    assert.deepEqual(await entity(5, 7, v.id), { kind: 'vehicle', type: 'sedan', position: v.position });
    await assertTtl(RedisKeys.chunkEntities(5, 7));

    const inside = { x: 5 * CHUNK_SIZE + 20, y: 4, z: 7 * CHUNK_SIZE + 30 };
    await call('PATCH', `/v1/vehicles/${v.id}`, { position: inside });
    assert.deepEqual(await entity(5, 7, v.id), { kind: 'vehicle', type: 'sedan', position: inside });

    const across = { x: 6 * CHUNK_SIZE + 1, y: 4, z: 7 * CHUNK_SIZE + 30 };
    const moved = (await call('PATCH', `/v1/vehicles/${v.id}`, { position: across })) as VehicleView;
    assert.deepEqual([moved.chunkX, moved.chunkZ], [6, 7]);
    assert.equal(await entity(5, 7, v.id), null, 'gone from the chunk it left');
    assert.deepEqual(await entity(6, 7, v.id), { kind: 'vehicle', type: 'sedan', position: across });
    await assertTtl(RedisKeys.chunkEntities(6, 7));

    // A year unused: abandonment decay takes all its health and destroys it.
    const now = new Date(Date.now() + 365 * DAY).toISOString();
    const decay = await bus.request<VehicleDecayView>(VehicleSubjects.decay, { now }, ADMIN);
    assert.ok(decay.destroyed.includes(v.id));
    assert.equal(await entity(6, 7, v.id), null);
  });

  it('races moves of one vehicle into eight chunks: all commit, and the chunk it ends in lists it', async () => {
    const v = await spawnVehicle(-20 * CHUNK_SIZE + 5, 5);
    const targets = Array.from({ length: 8 }, (_, i) => ({ x: (-19 + i) * CHUNK_SIZE + 5, y: 4, z: 5 }));
    await Promise.all(targets.map((position) => call('PATCH', `/v1/vehicles/${v.id}`, { position })));
    const { rows } = await pool.query<{ x: number; z: number; position: unknown }>(
      `SELECT chunk_x AS x, chunk_z AS z, position FROM vehicles WHERE id = $1`,
      [v.id],
    );
    const last = rows[0];
    // Each chunk is some move's target once, so only the last commit writes the final chunk and no
    // move leaves it; a chunk left earlier may keep a stale entry until its key expires (a cache).
    assert.deepEqual(await entity(last.x, last.z, v.id), {
      kind: 'vehicle',
      type: 'sedan',
      position: last.position,
    });
    assert.equal(await entity(-20, 0, v.id), null, 'the spawn chunk was left by the first move');
  });

  it('rebuilds deleted keys from PostgreSQL on a chunk load, and renews their TTL', async () => {
    const e = await spawnEvent();
    const v = await spawnVehicle(e.x * CHUNK_SIZE + 3, e.z * CHUNK_SIZE + 3);
    await redis.del(RedisKeys.chunkEvents(e.x, e.z), RedisKeys.chunkEntities(e.x, e.z));

    await call('GET', `/v1/chunks/${e.x}/${e.z}`);
    // What PostgreSQL holds for the chunk (another test's vehicle may have ended in it).
    const ids = async (sql: string) =>
      (await pool.query<{ id: string }>(sql, [e.x, e.z])).rows.map((r) => r.id).sort();
    const events = await ids(
      `SELECT id::text FROM world_events WHERE chunk_x = $1 AND chunk_z = $2 AND NOT completed AND ends_at > now()`,
    );
    const vehicles = await ids(`SELECT id::text FROM vehicles WHERE chunk_x = $1 AND chunk_z = $2`);
    assert.ok(events.includes(e.id) && vehicles.includes(v.id));
    assert.deepEqual((await redis.smembers(RedisKeys.chunkEvents(e.x, e.z))).sort(), events);
    assert.deepEqual((await redis.hkeys(RedisKeys.chunkEntities(e.x, e.z))).sort(), vehicles);
    assert.deepEqual(await entity(e.x, e.z, v.id), { kind: 'vehicle', type: 'sedan', position: v.position });

    for (const key of [RedisKeys.chunkEvents(e.x, e.z), RedisKeys.chunkEntities(e.x, e.z)]) {
      await redis.expire(key, 5);
      await call('GET', `/v1/chunks/${e.x}/${e.z}`);
      const ttl = await redis.ttl(key);
      assert.ok(ttl > 5 && ttl <= TTL.chunkInactive, `a load renews ${key}: ttl ${ttl}`);
    }
  });
});
