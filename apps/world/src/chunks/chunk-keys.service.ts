import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS, RedisKeys, TTL } from '@trustno1/redis';
import { CLOCK, type Clock } from '../clock/clock';
import { ChunksRepository } from './chunks.repository';

/** A world position as the API carries it. */
export interface EntityPosition {
  x: number;
  y: number;
  z: number;
}

/** What `chunk:{x}:{z}:entities` holds per entity id (JSON). Only vehicles are entities today. */
export interface ChunkEntity {
  kind: 'vehicle';
  type: string;
  position: EntityPosition;
}

/** A vehicle as the entity keys need it. */
export interface VehicleEntity {
  id: string;
  templateId: string;
  position: EntityPosition;
  chunkX: number;
  chunkZ: number;
}

/** An id in one chunk, for removals. */
export interface ChunkMember {
  id: string;
  chunkX: number;
  chunkZ: number;
}

// Adds to the key only when it is cached: a missing key is rebuilt whole from PostgreSQL instead,
// so a key is never left holding a single member while the chunk has others.
const ADD_IF_CACHED = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call(ARGV[1], KEYS[1], unpack(ARGV, 2))
return 1`;

// A chunk load in one round trip: renews each key's TTL, or fills it from what the load read when
// it is missing. ARGV: ttl, number of event ids, the ids, then entity id/JSON pairs. Both keys
// share the chunk's hash tag, so this runs on one node of a cluster.
const ON_LOAD = `
local ttl = ARGV[1]
local events = tonumber(ARGV[2])
if redis.call('EXPIRE', KEYS[1], ttl) == 0 and events > 0 then
  for i = 3, 2 + events do redis.call('SADD', KEYS[1], ARGV[i]) end
  redis.call('EXPIRE', KEYS[1], ttl)
end
if redis.call('EXPIRE', KEYS[2], ttl) == 0 and #ARGV > 2 + events then
  for i = 3 + events, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
  redis.call('EXPIRE', KEYS[2], ttl)
end
return 1`;

const REBUILD_BATCH = 500;

/**
 * The seed's `chunk:{x}:{z}:events` (SET of active event ids) and `chunk:{x}:{z}:entities` (HASH
 * id → ChunkEntity). PostgreSQL is the authority: these are a cache written after the commit, with
 * the inactive-chunk TTL renewed by every chunk load, rebuilt from the database when missing. A
 * Redis failure is logged and never fails the request that caused it.
 */
@Injectable()
export class ChunkKeysService {
  private readonly logger = new Logger('chunk-keys');

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly chunks: ChunksRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A chunk load: renews both keys' TTL, and rebuilds a missing one from what the load read. */
  async loaded(x: number, z: number, eventIds: string[], vehicles: VehicleEntity[]): Promise<void> {
    const entities = vehicles.flatMap((v) => [v.id, JSON.stringify(entityOf(v))]);
    await this.quietly('load', x, z, () =>
      this.redis.eval(
        ON_LOAD,
        2,
        RedisKeys.chunkEvents(x, z),
        RedisKeys.chunkEntities(x, z),
        TTL.chunkInactive,
        eventIds.length,
        ...eventIds,
        ...entities,
      ),
    );
  }

  async eventSpawned(event: ChunkMember): Promise<void> {
    const { chunkX: x, chunkZ: z } = event;
    await this.quietly('event spawn', x, z, async () => {
      if (await this.addIfCached(RedisKeys.chunkEvents(x, z), ['SADD', event.id])) return;
      await this.writeEvents(x, z, await this.chunks.activeEventIds(x, z, this.clock.now()));
    });
  }

  async eventsEnded(events: ChunkMember[]): Promise<void> {
    for (const e of events)
      await this.quietly('event end', e.chunkX, e.chunkZ, () =>
        this.redis.srem(RedisKeys.chunkEvents(e.chunkX, e.chunkZ), e.id),
      );
  }

  /** A vehicle spawned or changed: its entry in its chunk, and out of the chunk it left. */
  async vehiclePlaced(vehicle: VehicleEntity, previous?: { chunkX: number; chunkZ: number }): Promise<void> {
    const { chunkX: x, chunkZ: z } = vehicle;
    if (previous && (previous.chunkX !== x || previous.chunkZ !== z))
      await this.vehiclesRemoved([{ id: vehicle.id, ...previous }]);
    await this.quietly('vehicle', x, z, async () => {
      const entity = JSON.stringify(entityOf(vehicle));
      if (await this.addIfCached(RedisKeys.chunkEntities(x, z), ['HSET', vehicle.id, entity])) return;
      await this.writeEntities(x, z, await this.chunks.vehicleEntities(x, z));
    });
  }

  async vehiclesRemoved(vehicles: ChunkMember[]): Promise<void> {
    for (const v of vehicles)
      await this.quietly('vehicle removal', v.chunkX, v.chunkZ, () =>
        this.redis.hdel(RedisKeys.chunkEntities(v.chunkX, v.chunkZ), v.id),
      );
  }

  private async addIfCached(key: string, args: string[]): Promise<boolean> {
    return (await this.redis.eval(ADD_IF_CACHED, 1, key, ...args)) === 1;
  }

  private async writeEvents(x: number, z: number, ids: string[]): Promise<void> {
    const key = RedisKeys.chunkEvents(x, z);
    const tx = this.redis.multi().del(key);
    for (let i = 0; i < ids.length; i += REBUILD_BATCH) tx.sadd(key, ...ids.slice(i, i + REBUILD_BATCH));
    await tx.expire(key, TTL.chunkInactive).exec();
  }

  private async writeEntities(x: number, z: number, vehicles: VehicleEntity[]): Promise<void> {
    const key = RedisKeys.chunkEntities(x, z);
    const tx = this.redis.multi().del(key);
    for (let i = 0; i < vehicles.length; i += REBUILD_BATCH) {
      const batch = vehicles.slice(i, i + REBUILD_BATCH);
      tx.hset(key, Object.fromEntries(batch.map((v) => [v.id, JSON.stringify(entityOf(v))])));
    }
    await tx.expire(key, TTL.chunkInactive).exec();
  }

  private async quietly(what: string, x: number, z: number, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (error) {
      // The commit stands; the key heals at the chunk's next load after it expires or is rebuilt.
      this.logger.warn({ chunk: { x, z }, err: error }, `chunk keys not updated after ${what}`);
    }
  }
}

function entityOf(vehicle: VehicleEntity): ChunkEntity {
  return { kind: 'vehicle', type: vehicle.templateId, position: vehicle.position };
}
