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
 * are InventoryErrors. A procedure file raising a code missing here fails libs/db's
 * procedure-sources spec.
 */
export const WorldErrors = {
  BUILD_BLOCKED: ErrorCode.BUILD_BLOCKED,
  LIMIT_REACHED: ErrorCode.LIMIT_REACHED,
  NOT_FOUND: ErrorCode.NOT_FOUND,
  CONFLICT: ErrorCode.CONFLICT,
  VALIDATION_FAILED: ErrorCode.VALIDATION_FAILED,
} as const satisfies { [K in ErrorCode]?: K };
export type WorldError = (typeof WorldErrors)[keyof typeof WorldErrors];

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
const chunkCoordinateParam = z
  .string({ message: 'must be an integer' })
  .regex(/^-?\d{1,7}$/, 'must be an integer')
  .transform(Number)
  .pipe(chunkCoordinateSchema);

// ---- requests (HTTP and NATS) ----------------------------------------------------------------

export const catalogRequest = z.strictObject({});
export const chunkRequest = z.strictObject({ x: chunkCoordinateSchema, z: chunkCoordinateSchema });
export const chunkPathParams = z.object({ x: chunkCoordinateParam, z: chunkCoordinateParam });
export type ChunkRequest = z.infer<typeof chunkRequest>;

// ---- subjects --------------------------------------------------------------------------------

/** Request subjects of the world service (`world.<entity>.<verb>.v1`). */
export const WorldSubjects = {
  structureCatalog: 'world.catalog.structures.v1',
  vehicleCatalog: 'world.catalog.vehicles.v1',
  loadChunk: 'world.chunk.load.v1',
} as const;

// ---- views -----------------------------------------------------------------------------------

export interface ItemAmountView {
  itemTemplateId: string;
  amount: number;
}

export interface StructureCatalogEntryView {
  id: string;
  tier: string;
  maxHealth: number;
  decayPerHour: number;
  /** Item amounts per 24 hours of decay protection. */
  upkeep: ItemAmountView[];
}

export interface VehicleCatalogEntryView {
  id: string;
  fuelMax: number;
  maxHealth: number;
  inventory: { gridWidth: number; gridHeight: number };
}

export interface ResourceNodeView {
  id: string;
  type: string;
  position: { x: number; y: number; z: number };
  amount: number;
}

export interface ChunkStructureView {
  id: string;
  structureType: string;
  position: { x: number; y: number; z: number };
  rotation: { x: number; y: number; z: number; w: number };
  ownerId: string | null;
  factionId: string | null;
  health: number;
  maxHealth: number;
}

export interface ChunkVehicleView {
  id: string;
  templateId: string;
  position: { x: number; y: number; z: number };
  rotation: { x: number; y: number; z: number; w: number };
  ownerId: string | null;
  factionId: string | null;
  fuelCurrent: number;
  fuelMax: number;
  health: number;
  maxHealth: number;
  locked: boolean;
}

export interface ChunkView {
  x: number;
  z: number;
  biomeType: string;
  /** `heights`: base64 of `size²` float32 little-endian heights, row-major by z then x. */
  terrain: { size: number; heights: string };
  resourceNodes: ResourceNodeView[];
  structures: ChunkStructureView[];
  vehicles: ChunkVehicleView[];
}
