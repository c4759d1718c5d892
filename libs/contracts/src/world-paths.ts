/**
 * AI pathfinding (issue 5): `POST /v1/paths` queues an `ai_pathfinding` job, the worker computes A*
 * over the terrain and structures, `GET /v1/paths/{jobId}` reads the result. Game servers only.
 */
import { z } from 'zod';
import { WORLD_COORD_LIMIT } from './world-vehicles';

/** The longest straight-line distance a path request may span, in world units. */
export const PATH_DISTANCE_MAX = 512;

const coord = z
  .number({ message: 'must be a number' })
  .finite('must be finite')
  .min(-WORLD_COORD_LIMIT, `must be at least -${WORLD_COORD_LIMIT}`)
  .max(WORLD_COORD_LIMIT, `must be at most ${WORLD_COORD_LIMIT}`);
const point = z.strictObject({ x: coord, z: coord });

export const requestPathBody = z
  .strictObject({ from: point, to: point })
  .refine((b) => Math.hypot(b.to.x - b.from.x, b.to.z - b.from.z) <= PATH_DISTANCE_MAX, {
    message: `must be within ${PATH_DISTANCE_MAX} units of from`,
    path: ['to'],
    // Only when both points are valid: a bad coordinate is then the one problem named.
    when: (payload) => payload.issues.length === 0,
  });
/** Job ids of the ai_pathfinding queue (`path.` and 32 hex digits). */
export const pathJobIdSchema = z
  .string({ message: 'must be a path job id' })
  .regex(/^path\.[0-9a-f]{32}$/, 'must be a path job id');
export const pathJobParams = z.strictObject({ jobId: pathJobIdSchema });

export const requestPathRequest = requestPathBody;
export const getPathRequest = pathJobParams;
/** What the worker asks the world for: the stored terrain and structure footprints of a box. */
export const pathContextRequest = z.strictObject({
  minX: coord,
  minZ: coord,
  maxX: coord,
  maxZ: coord,
});

export const PathSubjects = {
  request: 'world.path.request.v1',
  get: 'world.path.get.v1',
  context: 'world.path.context.v1',
} as const;

export type PathJobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface PathPointView {
  x: number;
  y: number;
  z: number;
}

export interface PathJobView {
  jobId: string;
  status: PathJobStatus;
  path?: PathPointView[];
  length?: number;
  /** Why a path failed: `unreachable`, `too_far` (search budget), or the job's error. */
  reason?: string;
}

/** The worker's job result (the job's return value). */
export type PathJobResult =
  | { status: 'found'; path: PathPointView[]; length: number; expanded: number }
  | { status: 'unreachable' | 'too_far'; expanded: number };

/** Stored terrain (format of `world_chunks.terrain_data`, base64) and obstacles of a box. */
export interface PathContextView {
  chunks: { x: number; z: number; terrain: string }[];
  obstacles: { minX: number; minZ: number; maxX: number; maxZ: number }[];
}
