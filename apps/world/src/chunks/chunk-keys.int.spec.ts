import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { createPrismaClient, type PrismaClient } from '@trustno1/db';
import { RedisKeys } from '@trustno1/redis';
import { factories, FakeClock, openTestStores, type TestStores } from '@trustno1/testing';
import { VehiclesRepository } from '../vehicles/vehicles.repository';
import { loadVehiclesConfig } from '../vehicles/vehicles-config';
import { VehiclesService } from '../vehicles/vehicles.service';
import { ChunkKeysService } from './chunk-keys.service';
import { ChunksRepository } from './chunks.repository';

const ROTATION = { x: 0, y: 0, z: 0, w: 1 };

describe('chunk keys: PostgreSQL is the authority, Redis a cache (real PostgreSQL and Redis)', () => {
  let stores: TestStores;
  let prisma: PrismaClient;
  let down: Redis;
  let server: string;
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const service = (redis: Redis) => {
    const keys = new ChunkKeysService(redis, new ChunksRepository(prisma), clock);
    return new VehiclesService(prisma, new VehiclesRepository(), clock, loadVehiclesConfig({}), keys);
  };

  beforeAll(async () => {
    stores = await openTestStores(4);
    prisma = createPrismaClient(stores.pool);
    // A vehicle's inventory counts on its spawning server, which must exist.
    server = (await factories(stores.pool).gameServer()).id;
    // A Redis that is down: every command fails at once, nothing is retried.
    down = new Redis({
      port: 1,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    down.on('error', () => undefined);
  });
  afterAll(async () => {
    down?.disconnect();
    await prisma?.$disconnect();
    await stores?.close();
  });

  it('commits a spawn and a move while Redis is down; the next write rebuilds the missing key whole', async () => {
    const broken = service(down);
    const v = await broken.spawn(
      server,
      { templateId: 'sedan', position: { x: 10, y: 1, z: 10 }, rotation: ROTATION },
      undefined,
    );
    const w = await broken.spawn(
      server,
      { templateId: 'motorbike', position: { x: 20, y: 1, z: 20 }, rotation: ROTATION },
      undefined,
    );
    const moved = await broken.update({ vehicleId: v.id, position: { x: 11, y: 1, z: 12 } }, undefined);
    const { rows } = await stores.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM vehicles WHERE chunk_x = 0 AND chunk_z = 0`,
    );
    assert.equal(Number(rows[0].n), 2, 'both vehicles committed');
    assert.equal(await stores.redis.exists(RedisKeys.chunkEntities(0, 0)), 0);

    // Redis is back: the first write to the chunk finds the key missing and rebuilds all of it.
    await service(stores.redis).update({ vehicleId: w.id, fuelCurrent: 1 }, undefined);
    const cached = await stores.redis.hgetall(RedisKeys.chunkEntities(0, 0));
    assert.deepEqual(Object.keys(cached).sort(), [v.id, w.id].sort());
    assert.deepEqual(JSON.parse(cached[v.id]), { kind: 'vehicle', type: 'sedan', position: moved.position });
  });
});
