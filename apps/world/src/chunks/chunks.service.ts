import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppError, ErrorCode, type ChunkView } from '@trustno1/contracts';
import { REDIS, RedisKeys, TTL } from '@trustno1/redis';
import {
  chunkRow,
  decodeTerrain,
  generateChunk,
  terrainPayload,
  TerrainFormatError,
  type WorldSeed,
} from '@trustno1/world-domain';
import { CLOCK, type Clock } from '../clock/clock';
import { WORLD_SEED } from '../world-seed/world-seed';
import { ChunkKeysService } from './chunk-keys.service';
import { ChunksRepository, type StoredChunk } from './chunks.repository';

@Injectable()
export class ChunksService {
  constructor(
    private readonly chunks: ChunksRepository,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(WORLD_SEED) private readonly seed: WorldSeed,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly keys: ChunkKeysService,
  ) {}

  /**
   * Loads a chunk for a game server: the stored row when there is one, else it is generated from
   * the world seed and stored first. The answer always comes from the stored row, so a generator
   * change can never make two servers see different terrain for one chunk.
   */
  async load(x: number, z: number): Promise<ChunkView> {
    const now = this.clock.now();
    let stored = await this.chunks.touch(x, z, now);
    if (!stored) {
      await this.chunks.insertIfAbsent(chunkRow(generateChunk(this.seed, x, z)), now);
      stored = await this.chunks.touch(x, z, now);
      if (!stored) throw new AppError(ErrorCode.UNAVAILABLE, `Chunk ${x},${z} vanished while loading`);
    }
    // Marks the chunk active: the key expires after TTL.chunkInactive without a load, which is
    // what lets the worker tell inactive chunks. Set after the statements committed, no lock held.
    await this.redis.set(
      RedisKeys.chunkModified(x, z),
      String(stored.lastModified.getTime()),
      'EX',
      TTL.chunkInactive,
    );
    await this.keys.loaded(
      x,
      z,
      stored.eventIds,
      stored.vehicles.map((v) => ({
        id: v.id,
        templateId: v.templateId,
        position: v.position,
        chunkX: x,
        chunkZ: z,
      })),
    );
    return this.view(stored);
  }

  private view(stored: StoredChunk): ChunkView {
    return {
      x: stored.x,
      z: stored.z,
      biomeType: stored.biomeType,
      terrain: terrainPayload(this.decode(stored)),
      resourceNodes: stored.resourceNodes,
      structures: stored.structures,
      vehicles: stored.vehicles,
    };
  }

  private decode(stored: StoredChunk) {
    try {
      return decodeTerrain(stored.terrainData);
    } catch (error) {
      // A stored row this build cannot read needs a migration, not a silent regeneration.
      if (error instanceof TerrainFormatError) {
        throw new AppError(ErrorCode.INTERNAL, `Chunk ${stored.x},${stored.z}: ${error.message}`);
      }
      throw error;
    }
  }
}
