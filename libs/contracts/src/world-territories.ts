/**
 * Territories of the world service (issue 5): areas with capture points that factions take from
 * each other. Operators (admin) define them; game servers report capture progress.
 */
import { z } from 'zod';
import { ErrorCode } from './errors';
import { defineOperation } from './operation';
import { timestampView } from './world';
import { WORLD_COORD_LIMIT } from './world-vehicles';

const uuid = z.uuid({ message: 'must be a UUID' });
const finite = z.number({ message: 'must be a number' }).finite('must be finite');
const worldCoord = finite
  .min(-WORLD_COORD_LIMIT, `must be at least -${WORLD_COORD_LIMIT}`)
  .max(WORLD_COORD_LIMIT, `must be at most ${WORLD_COORD_LIMIT}`);

/** Capture points of one call, and the largest maximum a territory may have. */
export const CAPTURE_POINTS_MAX = 10_000;
/** Resources per hour: item template id → amount. */
const resourcesSchema = z
  .record(
    z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, 'keys must be item template ids'),
    z
      .int({ message: 'must be an integer' })
      .min(1, 'must be at least 1')
      .max(1_000_000, 'must be at most 1000000'),
    { message: 'must be an object of item template id → amount per hour' },
  )
  .refine((r) => Object.keys(r).length <= 32, 'at most 32 resources');

export const createTerritoryBody = z.strictObject({
  name: z
    .string({ message: 'must be a string' })
    .regex(/^[\p{L}\p{N} _'-]{1,64}$/u, "must be 1 to 64 letters, digits, spaces, _ ' or -"),
  centerX: worldCoord,
  centerZ: worldCoord,
  radius: finite.positive('must be positive').max(10_000, 'must be at most 10000'),
  maxCapturePoints: z
    .int({ message: 'must be an integer' })
    .min(1, 'must be at least 1')
    .max(CAPTURE_POINTS_MAX, `must be at most ${CAPTURE_POINTS_MAX}`)
    .optional(),
  buildingAllowed: z.boolean({ message: 'must be a boolean' }).optional(),
  resourcesGenerated: resourcesSchema.optional(),
});

export const captureTerritoryBody = z.strictObject({
  factionId: uuid,
  /** The capturing character, joined to the calling server, a member of the faction with territory_capture. */
  playerId: uuid,
  points: z
    .int({ message: 'must be an integer' })
    .min(1, 'must be at least 1')
    .max(CAPTURE_POINTS_MAX, `must be at most ${CAPTURE_POINTS_MAX}`),
});

export const listTerritoriesRequest = z.strictObject({});
export const captureTerritoryRequest = captureTerritoryBody.extend({ territoryId: uuid });
/** The worker's resource tick (admin): credits the hour that ended at `now`. */
export const creditTerritoryResourcesRequest = z.strictObject({ now: z.iso.datetime({ offset: true }) });

export type CreateTerritoryBody = z.infer<typeof createTerritoryBody>;

export const TerritorySubjects = {
  list: 'world.territory.list.v1',
  create: 'world.territory.create.v1',
  capture: 'world.territory.capture.v1',
  creditResources: 'world.territory.credit-resources.v1',
} as const;

export const TerritoryEvents = {
  captured: 'evt.world.territory.captured.v1',
  resourcesCredited: 'evt.world.territory.resources.credited.v1',
} as const;

/** Payload of `evt.world.territory.resources.credited.v1`: one territory's hour, once. */
export interface TerritoryResourcesCreditedEvent {
  territoryId: string;
  factionId: string;
  /** The hour credited (its start). */
  hour: string;
  resources: Record<string, number>;
}

export const territoryView = z.object({
  id: z.uuid(),
  name: z.string(),
  centerX: z.number(),
  centerZ: z.number(),
  radius: z.number(),
  ownerFactionId: z.uuid().nullable(),
  capturedAt: timestampView.nullable(),
  capturePoints: z.int(),
  maxCapturePoints: z.int(),
  /** The faction whose progress capturePoints counts, while contested. */
  capturingFactionId: z.uuid().nullable(),
  resourcesGenerated: z.record(z.string(), z.number()),
  underAttack: z.boolean(),
  lastAttacked: timestampView.nullable(),
  buildingAllowed: z.boolean(),
});
export type TerritoryView = z.infer<typeof territoryView>;

export const captureResultView = territoryView.extend({
  /** True when this call made the faction the owner. */
  captured: z.boolean(),
  previousOwnerFactionId: z.uuid().nullable(),
});
export type CaptureResultView = z.infer<typeof captureResultView>;

/** Payload of `evt.world.territory.captured.v1`. */
export interface TerritoryCapturedEvent {
  territoryId: string;
  factionId: string;
  previousOwnerFactionId: string | null;
  capturedAt: string;
}

export const territoryResourcesCreditView = z.object({ hour: timestampView, credited: z.int() });
export type TerritoryResourcesCreditView = z.infer<typeof territoryResourcesCreditView>;

// ---- operations ----------------------------------------------------------------------------------

const TAG = 'world';

/** Game servers read territories and report captures; operators (admin) define them. */
export const TerritoryOps = {
  listTerritories: defineOperation({
    subject: TerritorySubjects.list,
    request: listTerritoriesRequest,
    reply: z.array(territoryView),
    principals: ['server', 'admin'],
    idempotent: false,
    errors: [],
    http: {
      method: 'GET',
      path: '/v1/territories',
      status: 200,
      tag: TAG,
      summary: 'Every territory, by name',
    },
  }),
  createTerritory: defineOperation({
    subject: TerritorySubjects.create,
    request: createTerritoryBody,
    reply: territoryView,
    principals: ['admin'],
    idempotent: true,
    errors: [],
    http: {
      method: 'POST',
      path: '/v1/territories',
      body: createTerritoryBody,
      status: 201,
      tag: TAG,
      summary: 'Define a territory, unowned',
    },
  }),
  captureTerritory: defineOperation({
    subject: TerritorySubjects.capture,
    request: captureTerritoryRequest,
    reply: captureResultView,
    principals: ['server'],
    idempotent: true,
    errors: [ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN],
    http: {
      method: 'POST',
      path: '/v1/territories/{id}/capture',
      params: { id: 'territoryId' },
      body: captureTerritoryBody,
      status: 200,
      tag: TAG,
      summary:
        "Capture points of a faction (counted only for a member with territory_capture): the owner's points defend, another faction's points undo a rival " +
        'attacker first, then add to its own progress; at maxCapturePoints it owns the territory',
    },
  }),
  /** The territories.resources schedule's tick. */
  creditTerritoryResources: defineOperation({
    subject: TerritorySubjects.creditResources,
    request: creditTerritoryResourcesRequest,
    reply: territoryResourcesCreditView,
    principals: ['admin'],
    idempotent: false,
    errors: [],
  }),
} as const;
