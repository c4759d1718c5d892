import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import {
  AppError,
  ErrorCode,
  type PathContextView,
  type PathJobResult,
  type PathJobView,
} from '@trustno1/contracts';
import { PrismaClient, runIdempotentPrisma, type IdempotencyClaim } from '@trustno1/db';
import type { QueueProducer } from '@trustno1/queues';
import { chunkOf, encodeTerrain, generateHeightmap, type WorldSeed } from '@trustno1/world-domain';
import { WORLD_SEED } from '../world-seed/world-seed';
import { PathsRepository } from './paths.repository';
import { PATHS_PRODUCER } from './tokens';

/** Half the side of the square a structure blocks, in world units (a 3 × 3 building block). */
export const STRUCTURE_HALF_SIZE = 1.5;
/** Chunks one context may span per axis: a 512-unit path plus its margins fits in 7. */
const MAX_CHUNKS_PER_AXIS = 8;

@Injectable()
export class PathsService implements OnModuleDestroy {
  constructor(
    @Inject(PATHS_PRODUCER) private readonly producer: QueueProducer,
    private readonly prisma: PrismaClient,
    private readonly repository: PathsRepository,
    @Inject(WORLD_SEED) private readonly seed: WorldSeed,
  ) {}

  /**
   * Queues an `ai_pathfinding` job. Its id hashes the request and the server, so the same request
   * repeated while the job is kept finds that job (and its result) instead of computing again.
   * With an Idempotency-Key the enqueue runs inside the transaction that stores the key (as
   * matchmaking's ticket does): a replay answers the stored job id without touching the queue,
   * another body under the key is IDEMPOTENCY_KEY_REUSED, and a Redis failure rolls the key back.
   */
  async request(
    serverId: string,
    from: { x: number; z: number },
    to: { x: number; z: number },
    claim?: IdempotencyClaim,
  ): Promise<{ jobId: string }> {
    const enqueue = async () => ({
      jobId: await this.producer.enqueue('ai_pathfinding', { from, to, requestedBy: serverId }),
    });
    if (!claim) return enqueue();
    return (await runIdempotentPrisma(this.prisma, claim, enqueue)).result;
  }

  /**
   * The job's state and, once done, its path; another server's job is as unknown as a missing one.
   * The state is read before the job: a job read first could complete in between and show a
   * completed state without its return value.
   */
  async get(serverId: string, jobId: string): Promise<PathJobView> {
    const state = await this.producer.queue('ai_pathfinding').getJobState(jobId);
    const job = state === 'unknown' ? undefined : await this.producer.job('ai_pathfinding', jobId);
    if (!job || (job.data as { requestedBy?: string }).requestedBy !== serverId)
      throw new AppError(ErrorCode.NOT_FOUND, 'Path job not found', { jobId });
    switch (state) {
      case 'completed': {
        const result = job.returnvalue as PathJobResult | null;
        if (!result) return { jobId, status: 'running' };
        return result.status === 'found'
          ? { jobId, status: 'done', path: result.path, length: result.length }
          : { jobId, status: 'failed', reason: result.status };
      }
      case 'failed':
        return { jobId, status: 'failed', reason: job.failedReason || 'failed' };
      case 'active':
        return { jobId, status: 'running' };
      default:
        return { jobId, status: 'queued' };
    }
  }

  /**
   * What the worker's A* needs for a box: the stored terrain of each chunk it touches (generated
   * from the world seed, unstored, for chunks never loaded: the same bytes a first load would
   * store) and the footprints of the structures there.
   */
  async context(box: { minX: number; minZ: number; maxX: number; maxZ: number }): Promise<PathContextView> {
    const [minCx, minCz, maxCx, maxCz] = [
      chunkOf(box.minX),
      chunkOf(box.minZ),
      chunkOf(box.maxX),
      chunkOf(box.maxZ),
    ];
    if (maxCx < minCx || maxCz < minCz)
      throw new AppError(ErrorCode.VALIDATION_FAILED, 'Invalid request: maxX', {
        fields: [{ field: maxCx < minCx ? 'maxX' : 'maxZ', message: 'must not be below the minimum' }],
      });
    if (maxCx - minCx >= MAX_CHUNKS_PER_AXIS || maxCz - minCz >= MAX_CHUNKS_PER_AXIS)
      throw new AppError(ErrorCode.VALIDATION_FAILED, 'Invalid request: maxX', {
        fields: [
          { field: 'maxX', message: `the box may span at most ${MAX_CHUNKS_PER_AXIS} chunks per axis` },
        ],
      });
    const stored = new Map(
      (await this.repository.terrain(minCx, minCz, maxCx, maxCz)).map((t) => [`${t.x},${t.z}`, t.terrain]),
    );
    const chunks: PathContextView['chunks'] = [];
    for (let x = minCx; x <= maxCx; x++)
      for (let z = minCz; z <= maxCz; z++) {
        const terrain = stored.get(`${x},${z}`) ?? encodeTerrain(generateHeightmap(this.seed, x, z));
        chunks.push({ x, z, terrain: terrain.toString('base64') });
      }
    const obstacles = (await this.repository.structurePositions(minCx, minCz, maxCx, maxCz)).map((p) => ({
      minX: p.x - STRUCTURE_HALF_SIZE,
      minZ: p.z - STRUCTURE_HALF_SIZE,
      maxX: p.x + STRUCTURE_HALF_SIZE,
      maxZ: p.z + STRUCTURE_HALF_SIZE,
    }));
    return { chunks, obstacles };
  }

  async onModuleDestroy(): Promise<void> {
    await this.producer.close();
  }
}
