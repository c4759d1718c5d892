import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { BusClient } from '@trustno1/bus';
import { WorldOps } from '@trustno1/contracts';
import { ProcessorRegistry, QueueProducer, type ScheduleRun } from '@trustno1/queues';
import { DECAY_PRODUCER } from './tokens';

const SCAN_TIMEOUT_MS = 15_000;

/**
 * `structures.decay-scan` (every 10 min): asks the world service which chunks hold structures
 * with decay to apply at the schedule's tick, and enqueues one `structure_decay` job per chunk.
 * Job ids are (chunk, tick), so a scan that runs twice for one tick enqueues nothing new.
 */
@Injectable()
export class DecayScanProcessor implements OnModuleInit {
  private readonly logger = new Logger('decay-scan');

  constructor(
    private readonly registry: ProcessorRegistry,
    private readonly bus: BusClient,
    @Inject(DECAY_PRODUCER) private readonly producer: QueueProducer,
  ) {}

  onModuleInit(): void {
    this.registry.registerSchedule('structures.decay-scan', (run) => this.run(run), DecayScanProcessor.name);
  }

  async run(run: Pick<ScheduleRun, 'tick'>): Promise<{ tick: string; enqueued: number }> {
    const tick = run.tick.toISOString();
    const { chunks } = await this.bus.call(
      WorldOps.decayChunks,
      { tick },
      { principal: { kind: 'admin' }, timeoutMs: SCAN_TIMEOUT_MS },
    );
    for (const { chunkX, chunkZ } of chunks)
      await this.producer.enqueue('structure_decay', { chunkX, chunkZ, tick });
    if (chunks.length > 0) this.logger.debug({ tick, chunks: chunks.length }, 'decay jobs enqueued');
    return { tick, enqueued: chunks.length };
  }
}
