/**
 * AI pathfinding (issue 5): `POST /v1/paths` queues an `ai_pathfinding` job, the worker computes A*
 * over the terrain and structures, `GET /v1/paths/{jobId}` reads the result. Game servers only.
 */
import { z } from 'zod';
import { ErrorCode } from './errors';
import { defineOperation } from './operation';
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

export const pathJobStatus = z.enum(['queued', 'running', 'done', 'failed']);
export type PathJobStatus = z.infer<typeof pathJobStatus>;

export const pathPointView = z.object({ x: z.number(), y: z.number(), z: z.number() });
export type PathPointView = z.infer<typeof pathPointView>;

export const pathJobRequestedView = z.object({ jobId: pathJobIdSchema });

export const pathJobView = z.object({
  jobId: z.string(),
  status: pathJobStatus,
  path: z.array(pathPointView).optional(),
  length: z.number().optional(),
  /** Why a path failed: `unreachable`, `too_far` (search budget), or the job's error. */
  reason: z.string().optional(),
});
export type PathJobView = z.infer<typeof pathJobView>;

/** The worker's job result (the job's return value). */
export type PathJobResult =
  | { status: 'found'; path: PathPointView[]; length: number; expanded: number }
  | { status: 'unreachable' | 'too_far'; expanded: number };

/** Stored terrain (format of `world_chunks.terrain_data`, base64) and obstacles of a box. */
export const pathContextView = z.object({
  chunks: z.array(z.object({ x: z.int(), z: z.int(), terrain: z.string() })),
  obstacles: z.array(z.object({ minX: z.number(), minZ: z.number(), maxX: z.number(), maxZ: z.number() })),
});
export type PathContextView = z.infer<typeof pathContextView>;

// ---- operations ----------------------------------------------------------------------------------

const TAG = 'world';

/** Game servers request paths and read them by job id; the worker asks for terrain (admin). */
export const PathOps = {
  /**
   * Honours Idempotency-Key like every mutating POST (the stored answer again; another body under
   * the key: IDEMPOTENCY_KEY_REUSED). Without a key, the job id, a hash of the request and the
   * server, still makes a repeat find the same job.
   */
  requestPath: defineOperation({
    subject: PathSubjects.request,
    request: requestPathRequest,
    reply: pathJobRequestedView,
    principals: ['server'],
    idempotent: true,
    errors: [],
    http: {
      method: 'POST',
      path: '/v1/paths',
      body: requestPathBody,
      status: 202,
      tag: TAG,
      summary:
        `Queue an A* path (to within ${PATH_DISTANCE_MAX} units of from); the same request repeated ` +
        'finds the same job; honours Idempotency-Key',
    },
  }),
  getPath: defineOperation({
    subject: PathSubjects.get,
    request: getPathRequest,
    reply: pathJobView,
    principals: ['server'],
    idempotent: false,
    errors: [ErrorCode.NOT_FOUND],
    http: {
      method: 'GET',
      path: '/v1/paths/{jobId}',
      params: {
        jobId: { field: 'jobId', schema: pathJobIdSchema, description: '`path.` and 32 hex digits' },
      },
      status: 200,
      tag: TAG,
      summary:
        'A path job of this server: reason `unreachable` or `too_far` when no path exists inside the ' +
        "search window (NOT_FOUND: unknown, expired, or another server's job)",
    },
  }),
  /** The ai_pathfinding job's terrain and obstacles. */
  pathContext: defineOperation({
    subject: PathSubjects.context,
    request: pathContextRequest,
    reply: pathContextView,
    principals: ['admin'],
    idempotent: false,
    errors: [],
  }),
} as const;
