import { Inject, Injectable } from '@nestjs/common';
import type { DecayChunksView, DecayChunkView } from '@trustno1/contracts';
import { prismaTransaction, PrismaClient } from '@trustno1/db';
import { mapStructureErrors } from './structure-errors';
import { STRUCTURES_CONFIG, type StructuresConfig } from './structures-config';
import { StructuresRepository } from './structures.repository';

/**
 * Decay at a tick (SPEC §3 apply_structure_decay): the tick comes from the job, never from the
 * clock, so a job retried or run twice applies the same tick, which the procedure applies once.
 */
@Injectable()
export class DecayService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly repository: StructuresRepository,
    @Inject(STRUCTURES_CONFIG) private readonly config: StructuresConfig,
  ) {}

  /** Decays one chunk in batches, each its own short transaction, until no batch is full. */
  async decayChunk(chunkX: number, chunkZ: number, tick: string): Promise<DecayChunkView> {
    const at = new Date(tick);
    const total: DecayChunkView = {
      chunkX,
      chunkZ,
      tick: at.toISOString(),
      processed: 0,
      decayed: 0,
      destroyed: 0,
      batches: 0,
    };
    for (;;) {
      const batch = await mapStructureErrors(() =>
        prismaTransaction(this.prisma, (tx) =>
          this.repository.decayBatch(tx, chunkX, chunkZ, at, this.config.DECAY_BATCH_SIZE),
        ),
      );
      total.batches += 1;
      total.processed += batch.processed;
      total.decayed += batch.decayed;
      total.destroyed += batch.destroyed;
      if (!batch.more) return total;
    }
  }

  async decayChunks(tick: string): Promise<DecayChunksView> {
    return { chunks: await this.repository.decayChunks(this.prisma, new Date(tick)) };
  }
}
