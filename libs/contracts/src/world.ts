/**
 * World domain contract: subjects, payload schemas and views of catalogs and chunks (SPEC §7
 * "World"). The gateway validates path parameters with these schemas and the world service
 * validates NATS payloads with the same rules.
 */
import { z } from 'zod';
import { ErrorCode } from './errors';

/**
 * The codes the world's SQL functions raise (raise_error in prisma/sql/world/: SQLSTATE P0001,
 * MESSAGE = the code, DETAIL = JSON, `{field, problem}` for VALIDATION_FAILED), each the API error
 * of the same name. Destroying a structure moves its storage through transfer_item, whose errors
 * are InventoryErrors. INSUFFICIENT_RESOURCES: upkeep or a repair whose cost is not in the paying
 * tool cupboard's storage. A procedure file raising a code missing here fails libs/db's
 * procedure-sources spec.
 */
export const WorldErrors = {
  BUILD_BLOCKED: ErrorCode.BUILD_BLOCKED,
  LIMIT_REACHED: ErrorCode.LIMIT_REACHED,
  NOT_FOUND: ErrorCode.NOT_FOUND,
  CONFLICT: ErrorCode.CONFLICT,
  VALIDATION_FAILED: ErrorCode.VALIDATION_FAILED,
  INSUFFICIENT_RESOURCES: ErrorCode.INSUFFICIENT_RESOURCES,
  /** A territory capture by a character that is not a faction member with territory_capture (issue 14). */
  FORBIDDEN: ErrorCode.FORBIDDEN,
} as const satisfies { [K in ErrorCode]?: K };
export type WorldError = (typeof WorldErrors)[keyof typeof WorldErrors];
import { defineOperation } from './operation';

/** Chunk coordinates the world serves: ±1e6 chunks of 128 units is far beyond any map. */
export const CHUNK_COORD_LIMIT = 1_000_000;

export const chunkCoordinateSchema = z
  .number({ message: 'must be an integer' })
  .int('must be an integer')
  .min(-CHUNK_COORD_LIMIT, `must be at least -${CHUNK_COORD_LIMIT}`)
  .max(CHUNK_COORD_LIMIT, `must be at most ${CHUNK_COORD_LIMIT}`);

/**
 * A chunk coordinate as it arrives in a URL path: only plain decimal integers, so `1.5`, `1e3`,
 * `0x10` or an empty segment are refused instead of being coerced into some other chunk.
 */
export const chunkCoordinateParam = z
  .string({ message: 'must be an integer' })
  .regex(/^-?\d{1,7}$/, 'must be an integer')
  .transform(Number)
  .pipe(chunkCoordinateSchema);

// ---- requests (HTTP and NATS) ----------------------------------------------------------------

export const catalogRequest = z.strictObject({});
export const chunkRequest = z.strictObject({ x: chunkCoordinateSchema, z: chunkCoordinateSchema });
export type ChunkRequest = z.infer<typeof chunkRequest>;

// ---- subjects --------------------------------------------------------------------------------

/** Request subjects of the world service (`world.<entity>.<verb>.v1`). */
export const WorldSubjects = {
  structureCatalog: 'world.catalog.structures.v1',
  vehicleCatalog: 'world.catalog.vehicles.v1',
  loadChunk: 'world.chunk.load.v1',
} as const;

// ---- views -----------------------------------------------------------------------------------

/** A point in world units, and a rotation quaternion, as replies carry them. */
export const vector3View = z.object({ x: z.number(), y: z.number(), z: z.number() });
export const quaternionView = z.object({ x: z.number(), y: z.number(), z: z.number(), w: z.number() });
/** An ISO 8601 date-time in a reply. */
export const timestampView = z.string().describe('ISO 8601 date-time');

export const itemAmountView = z.object({ itemTemplateId: z.string(), amount: z.number() });
export type ItemAmountView = z.infer<typeof itemAmountView>;

export const structureCatalogEntryView = z.object({
  id: z.string(),
  tier: z.string(),
  maxHealth: z.number(),
  decayPerHour: z.number(),
  /** Item amounts per 24 hours of decay protection. */
  upkeep: z.array(itemAmountView),
  /** Item amounts a repair from zero to full health takes; a partial repair pays its share, rounded up. */
  repair: z.array(itemAmountView),
});
export type StructureCatalogEntryView = z.infer<typeof structureCatalogEntryView>;

export const vehicleCatalogEntryView = z.object({
  id: z.string(),
  fuelMax: z.number(),
  maxHealth: z.number(),
  inventory: z.object({ gridWidth: z.int(), gridHeight: z.int() }),
});
export type VehicleCatalogEntryView = z.infer<typeof vehicleCatalogEntryView>;

export const resourceNodeView = z.object({
  id: z.string(),
  type: z.string(),
  position: vector3View,
  amount: z.number(),
});
export type ResourceNodeView = z.infer<typeof resourceNodeView>;

export const chunkStructureView = z.object({
  id: z.uuid(),
  structureType: z.string(),
  position: vector3View,
  rotation: quaternionView,
  ownerId: z.uuid().nullable(),
  factionId: z.uuid().nullable(),
  health: z.number(),
  maxHealth: z.number(),
});
export type ChunkStructureView = z.infer<typeof chunkStructureView>;

export const chunkVehicleView = z.object({
  id: z.uuid(),
  templateId: z.string(),
  position: vector3View,
  rotation: quaternionView,
  ownerId: z.uuid().nullable(),
  factionId: z.uuid().nullable(),
  fuelCurrent: z.number(),
  fuelMax: z.number(),
  health: z.number(),
  maxHealth: z.number(),
  locked: z.boolean(),
});
export type ChunkVehicleView = z.infer<typeof chunkVehicleView>;

export const chunkView = z.object({
  x: z.int(),
  z: z.int(),
  biomeType: z.string(),
  /** `heights`: base64 of `size²` float32 little-endian heights, row-major by z then x. */
  terrain: z.object({ size: z.int(), heights: z.string() }),
  resourceNodes: z.array(resourceNodeView),
  structures: z.array(chunkStructureView),
  vehicles: z.array(chunkVehicleView),
});
export type ChunkView = z.infer<typeof chunkView>;

// ---- operations ----------------------------------------------------------------------------------

const TAG = 'world';
const chunkCoordinate = (axis: 'x' | 'z') => ({
  field: axis,
  schema: chunkCoordinateParam,
  description: `chunk ${axis}, an integer within ±${CHUNK_COORD_LIMIT}`,
});

/** What game servers build with (structure types, vehicle templates) and the chunks of the map. */
export const WorldMapOps = {
  structureCatalog: defineOperation({
    subject: WorldSubjects.structureCatalog,
    request: catalogRequest,
    reply: z.array(structureCatalogEntryView),
    principals: ['server'],
    idempotent: false,
    errors: [],
    http: {
      method: 'GET',
      path: '/v1/catalog/structures',
      status: 200,
      tag: TAG,
      summary: 'Structure types: tier, health, decay per hour, upkeep per 24 h and repair cost',
    },
  }),
  vehicleCatalog: defineOperation({
    subject: WorldSubjects.vehicleCatalog,
    request: catalogRequest,
    reply: z.array(vehicleCatalogEntryView),
    principals: ['server'],
    idempotent: false,
    errors: [],
    http: {
      method: 'GET',
      path: '/v1/catalog/vehicles',
      status: 200,
      tag: TAG,
      summary: 'Vehicle templates: fuel, health and inventory grid',
    },
  }),
  /** A read with bookkeeping (last_loaded, the Redis key): repeating it is harmless. */
  loadChunk: defineOperation({
    subject: WorldSubjects.loadChunk,
    request: chunkRequest,
    reply: chunkView,
    principals: ['server'],
    idempotent: false,
    errors: [],
    http: {
      method: 'GET',
      path: '/v1/chunks/{x}/{z}',
      params: { x: chunkCoordinate('x'), z: chunkCoordinate('z') },
      status: 200,
      tag: TAG,
      summary:
        'A chunk of 128 × 128 units, generated from the world seed on first load; terrain.heights is ' +
        'base64 of size² float32 LE heights, row-major by z then x (docs/world.md)',
    },
  }),
} as const;
