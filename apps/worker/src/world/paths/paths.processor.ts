import { Injectable, type OnModuleInit } from '@nestjs/common';
import { BusClient } from '@trustno1/bus';
import { WorldOps, type PathContextView, type PathJobResult } from '@trustno1/contracts';
import { ProcessorRegistry, type AiPathfindingJob } from '@trustno1/queues';
import {
  chunkSampler,
  decodeTerrain,
  findPath,
  SAMPLE_SPACING,
  type Heightmap,
} from '@trustno1/world-domain';

/** World units searched around the start/goal box (findPath's margin). */
export const PATH_MARGIN = 64;
const CONTEXT_TIMEOUT_MS = 10_000;

/** A* over a context the world service sent: its chunks' heightmaps and structure footprints. */
export function computePath(
  job: Pick<AiPathfindingJob, 'from' | 'to'>,
  context: PathContextView,
): PathJobResult {
  const maps = new Map<string, Heightmap>(
    context.chunks.map((c) => [`${c.x},${c.z}`, decodeTerrain(Buffer.from(c.terrain, 'base64'))]),
  );
  const sampler = chunkSampler((cx, cz) => {
    const map = maps.get(`${cx},${cz}`);
    if (!map) throw new Error(`chunk ${cx},${cz} is outside the path context`);
    return map;
  });
  const result = findPath(sampler, job.from, job.to, { obstacles: context.obstacles, margin: PATH_MARGIN });
  return result.status === 'found'
    ? { status: 'found', path: result.path, length: result.length, expanded: result.expanded }
    : { status: result.status, expanded: result.expanded };
}

/** The box findPath may sample for a job: the start/goal box plus the margin and one sample. */
export function contextBox(job: Pick<AiPathfindingJob, 'from' | 'to'>) {
  const pad = PATH_MARGIN + SAMPLE_SPACING;
  return {
    minX: Math.min(job.from.x, job.to.x) - pad,
    minZ: Math.min(job.from.z, job.to.z) - pad,
    maxX: Math.max(job.from.x, job.to.x) + pad,
    maxZ: Math.max(job.from.z, job.to.z) + pad,
  };
}

/**
 * The `ai_pathfinding` queue: asks the world service (owner of world_chunks and structures) for
 * the terrain and obstacles around the request, runs A* here, and returns the result as the job's
 * return value, which the world service reads back for `GET /v1/paths/{jobId}`.
 */
@Injectable()
export class PathsProcessor implements OnModuleInit {
  constructor(
    private readonly registry: ProcessorRegistry,
    private readonly bus: BusClient,
  ) {}

  onModuleInit(): void {
    this.registry.registerQueue('ai_pathfinding', (payload) => this.run(payload), PathsProcessor.name);
  }

  async run(job: AiPathfindingJob): Promise<PathJobResult> {
    const context = await this.bus.call(WorldOps.pathContext, contextBox(job), {
      principal: { kind: 'admin' },
      timeoutMs: CONTEXT_TIMEOUT_MS,
    });
    return computePath(job, context);
  }
}
