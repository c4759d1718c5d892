import { Injectable, type OnModuleInit } from '@nestjs/common';
import { BusClient } from '@trustno1/bus';
import { WorldOps, type DecayChunkView } from '@trustno1/contracts';
import { ProcessorRegistry, type StructureDecayJob } from '@trustno1/queues';

/** A chunk of 10,000 structures decays in 20 batches; far below this even on a loaded machine. */
const DECAY_TIMEOUT_MS = 30_000;

/**
 * `structure_decay` (one job per chunk and decay tick): asks the world service, which owns
 * `structures`, to apply decay up to the job's tick. The tick travels with the job, so a retried
 * or duplicated job applies the same tick, which apply_structure_decay applies once.
 */
@Injectable()
export class StructureDecayProcessor implements OnModuleInit {
  constructor(
    private readonly registry: ProcessorRegistry,
    private readonly bus: BusClient,
  ) {}

  onModuleInit(): void {
    this.registry.registerQueue('structure_decay', (job) => this.run(job), StructureDecayProcessor.name);
  }

  run(job: StructureDecayJob): Promise<DecayChunkView> {
    return this.bus.call(
      WorldOps.decayChunk,
      { chunkX: job.chunkX, chunkZ: job.chunkZ, tick: job.tick },
      { principal: { kind: 'admin' }, timeoutMs: DECAY_TIMEOUT_MS },
    );
  }
}
