/**
 * Structures of the world service (issue 5): placement under the build rule, damage, repair,
 * upkeep, tool-cupboard authorization and decay. Game servers only; the decay subjects are
 * internal (the worker calls them as the admin principal). The gateway validates bodies with these
 * schemas and the world service validates NATS payloads with the same ones.
 */
import { z } from 'zod';
import { ErrorCode } from './errors';
import { defineOperation } from './operation';
import {
  CHUNK_COORD_LIMIT,
  chunkCoordinateSchema,
  itemAmountView,
  quaternionView,
  timestampView,
  vector3View,
} from './world';

const uuid = z.uuid({ message: 'must be a UUID' });
const finite = z.number({ message: 'must be a number' }).finite('must be finite');

/** Largest world coordinate: the chunk range times the 128-unit chunk size. */
const COORD_LIMIT = CHUNK_COORD_LIMIT * 128;
const coord = finite
  .min(-COORD_LIMIT, `must be at least -${COORD_LIMIT}`)
  .max(COORD_LIMIT, `must be at most ${COORD_LIMIT}`);
const unit = finite.min(-1, 'must be at least -1').max(1, 'must be at most 1');

export const structurePositionSchema = z.strictObject({
  x: coord,
  y: finite.min(-100_000, 'must be at least -100000').max(100_000, 'must be at most 100000'),
  z: coord,
});
/** A unit quaternion: components in [-1, 1] and a length within 1 % of 1. */
export const structureRotationSchema = z
  .strictObject({ x: unit, y: unit, z: unit, w: unit })
  .refine((q) => Math.abs(Math.hypot(q.x, q.y, q.z, q.w) - 1) <= 0.01, 'must be a unit quaternion');

const slug = z
  .string({ message: 'must be a string' })
  .regex(/^[a-z][a-z0-9_]{0,31}$/, 'must be 1 to 32 lowercase letters, digits or underscores');

/** Largest build_data, as JSON text: a structure is a few modules, not a document. */
export const BUILD_DATA_MAX_BYTES = 4096;
export const BUILD_MODULES_MAX = 32;

/**
 * The modular build of a piece (`structures.build_data`): the modules fitted to its sockets
 * (a window in a wall socket, a lock on a door), the structure it snaps onto, and a cosmetic skin.
 */
export const buildDataSchema = z
  .strictObject({
    modules: z
      .array(
        z.strictObject({
          socket: slug,
          part: slug,
          skin: z
            .int({ message: 'must be an integer' })
            .min(0, 'must not be negative')
            .max(65_535)
            .optional(),
        }),
        { message: 'must be an array' },
      )
      .max(BUILD_MODULES_MAX, `at most ${BUILD_MODULES_MAX} modules`)
      .refine((ms) => new Set(ms.map((m) => m.socket)).size === ms.length, 'one module per socket')
      .default([]),
    attachedTo: uuid.optional(),
    skin: z.int({ message: 'must be an integer' }).min(0, 'must not be negative').max(65_535).optional(),
  })
  .refine((v) => JSON.stringify(v).length <= BUILD_DATA_MAX_BYTES, {
    message: `must be at most ${BUILD_DATA_MAX_BYTES} bytes of JSON`,
  });
export type BuildData = z.infer<typeof buildDataSchema>;

export const structureTypeIdSchema = z
  .string({ message: 'must be a string' })
  .regex(/^[a-z][a-z0-9_]{1,63}$/, 'must be a structure type id');

/** Health amounts: positive, and far beyond any structure's maximum is a mistake. */
const amount = finite.gt(0, 'must be positive').max(1_000_000, 'must be at most 1000000');

/** The longest upkeep a payment buys: a month ahead. */
export const UPKEEP_MAX_DAYS = 30;

// ---- requests (HTTP bodies; the NATS payloads add the id from the path) ------------------------

export const placeStructureBody = z.strictObject({
  ownerId: uuid,
  structureType: structureTypeIdSchema,
  position: structurePositionSchema,
  rotation: structureRotationSchema,
  buildData: buildDataSchema,
  factionId: uuid.optional(),
});
export const structureIdRequest = z.strictObject({ structureId: uuid });
export const structurePathParams = z.object({ id: uuid });

/** Explosive kinds a raid log counts (`explosivesUsed` by type). */
export const explosiveTypeSchema = slug;

export const damageStructureBody = z.strictObject({
  amount,
  attackerId: uuid.optional(),
  explosive: z.boolean({ message: 'must be a boolean' }).optional(),
  /** What exploded (`c4`, `rocket`, `satchel`…); only with `explosive: true`; default `explosive`. */
  explosiveType: explosiveTypeSchema.optional(),
});
export const damageStructureRequest = damageStructureBody.extend({ structureId: uuid });

export const repairStructureBody = z.strictObject({ amount });
export const repairStructureRequest = repairStructureBody.extend({ structureId: uuid });

/** Paid-until instant: ISO 8601 with an offset; the service refuses the past and > 30 days ahead. */
export const upkeepBody = z.strictObject({
  paidUntil: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with an offset' }),
});
export const upkeepRequest = upkeepBody.extend({ structureId: uuid });

export const cupboardPlayerBody = z.strictObject({ playerId: uuid });
export const cupboardPlayerRequest = cupboardPlayerBody.extend({ structureId: uuid });

/** Internal: decay one chunk at a tick (the structure_decay job). */
export const decayChunkRequest = z.strictObject({
  chunkX: chunkCoordinateSchema,
  chunkZ: chunkCoordinateSchema,
  tick: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with an offset' }),
});
/** Internal: the chunks with decay to apply at a tick (the structures.decay-scan schedule). */
export const decayChunksRequest = z.strictObject({
  tick: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with an offset' }),
});

// ---- subjects --------------------------------------------------------------------------------

export const StructureSubjects = {
  place: 'world.structure.place.v1',
  get: 'world.structure.get.v1',
  damage: 'world.structure.damage.v1',
  repair: 'world.structure.repair.v1',
  upkeep: 'world.structure.upkeep.v1',
  authorize: 'world.structure.authorize.v1',
  deauthorize: 'world.structure.deauthorize.v1',
  decayChunk: 'world.structure.decay.v1',
  decayChunks: 'world.structure.decay-chunks.v1',
} as const;

/** Events of structures (outbox, stream EVENTS). */
export const StructureEvents = {
  destroyed: 'evt.world.structure.destroyed.v1',
  /** Explosive damage (raids): written in the damage's transaction, consumed by combat. */
  damaged: 'evt.world.structure.damaged.v1',
} as const;

// ---- views -----------------------------------------------------------------------------------

export const structureStorageView = z.object({
  inventoryId: z.uuid(),
  authorizedPlayers: z.array(z.uuid()),
  /** The cupboard's range; null for storage boxes. */
  tcRange: z.number().nullable(),
});
export type StructureStorageView = z.infer<typeof structureStorageView>;

export const structureView = z.object({
  id: z.uuid(),
  chunkX: z.int(),
  chunkZ: z.int(),
  structureType: z.string(),
  position: vector3View,
  rotation: quaternionView,
  ownerId: z.uuid().nullable(),
  factionId: z.uuid().nullable(),
  health: z.number(),
  maxHealth: z.number(),
  buildData: buildDataSchema,
  permissions: z.record(z.string(), z.unknown()),
  upkeepPaidUntil: timestampView.nullable(),
  decayProtection: z.boolean(),
  decayPerHour: z.number(),
  createdAt: timestampView,
  lastDamaged: timestampView.nullable(),
  storage: structureStorageView.nullable(),
});
export type StructureView = z.infer<typeof structureView>;

export const damageView = z.object({
  health: z.number(),
  destroyed: z.boolean(),
  /** The loot container holding the destroyed structure's storage, when it held anything. */
  containerInventoryId: z.uuid().nullable(),
  /** The health taken: the amount, scaled down when offline-raid protection applied. */
  damageApplied: z.number(),
  /** Offline-raid protection scaled this explosive damage (no owner or faction member online). */
  offlineProtected: z.boolean(),
});
export type DamageView = z.infer<typeof damageView>;

export const upkeepView = structureView.extend({
  /** Structures whose upkeep moved: the cupboard's whole base, or the one structure. */
  covered: z.int(),
  /** What the payment took out of the paying tool cupboard's storage. */
  cost: z.array(itemAmountView),
});
export type UpkeepView = z.infer<typeof upkeepView>;

export const decayChunkView = z.object({
  chunkX: z.int(),
  chunkZ: z.int(),
  tick: timestampView,
  processed: z.int(),
  decayed: z.int(),
  destroyed: z.int(),
  batches: z.int(),
});
export type DecayChunkView = z.infer<typeof decayChunkView>;

export const decayChunksView = z.object({
  chunks: z.array(z.object({ chunkX: z.int(), chunkZ: z.int() })),
});
export type DecayChunksView = z.infer<typeof decayChunksView>;

/** Payload of `evt.world.structure.destroyed.v1`. */
export interface StructureDestroyedEvent {
  structureId: string;
  structureType: string;
  ownerId: string | null;
  factionId: string | null;
  chunkX: number;
  chunkZ: number;
  position: { x: number; y: number; z: number };
  cause: 'damage' | 'decay';
  attackerId: string | null;
  explosive: boolean;
  containerInventoryId: string | null;
  destroyedAt: string;
}

/**
 * Payload of `evt.world.structure.damaged.v1`: explosive damage to a structure, with what combat
 * needs to open or extend a raid on its base (the structures under its tool cupboard).
 */
export interface StructureDamagedEvent {
  structureId: string;
  structureType: string;
  ownerId: string | null;
  factionId: string | null;
  /** The base's tool cupboard (the one that pays for the structure); null when none covers it. */
  cupboardId: string | null;
  /** The cupboard's owner and authorized players, and the structure's owner: the defenders. */
  defenders: string[];
  attackerId: string | null;
  attackerFactionId: string | null;
  damageType: 'explosive';
  explosiveType: string;
  damageRequested: number;
  damageApplied: number;
  offlineProtected: boolean;
  health: number;
  maxHealth: number;
  destroyed: boolean;
  /** The base's storage inventories, and the container a destroyed structure's storage spilled into. */
  storageInventoryIds: string[];
  chunkX: number;
  chunkZ: number;
  position: { x: number; y: number; z: number };
  damagedAt: string;
}

// ---- operations ----------------------------------------------------------------------------------

const { NOT_FOUND, FORBIDDEN, BUILD_BLOCKED, LIMIT_REACHED, INSUFFICIENT_RESOURCES } = ErrorCode;
const TAG = 'world';

/** Structures for game servers; the decay operations are the worker's (admin). */
export const StructureOps = {
  placeStructure: defineOperation({
    subject: StructureSubjects.place,
    request: placeStructureBody,
    reply: structureView,
    principals: ['server'],
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN, BUILD_BLOCKED, LIMIT_REACHED],
    http: {
      method: 'POST',
      path: '/v1/structures',
      body: placeStructureBody,
      status: 201,
      tag: TAG,
      summary:
        'Place a structure for an owner joined to this server, under the build rule (BUILD_BLOCKED ' +
        'reason TOOL_CUPBOARD or TERRITORY; LIMIT_REACHED: structures per chunk)',
    },
  }),
  getStructure: defineOperation({
    subject: StructureSubjects.get,
    request: structureIdRequest,
    reply: structureView,
    principals: ['server'],
    idempotent: false,
    errors: [NOT_FOUND],
    http: {
      method: 'GET',
      path: '/v1/structures/{id}',
      params: { id: 'structureId' },
      status: 200,
      tag: TAG,
      summary: 'A structure with its storage',
    },
  }),
  damageStructure: defineOperation({
    subject: StructureSubjects.damage,
    request: damageStructureRequest,
    reply: damageView,
    principals: ['server'],
    idempotent: true,
    errors: [NOT_FOUND],
    http: {
      method: 'POST',
      path: '/v1/structures/{id}/damage',
      params: { id: 'structureId' },
      body: damageStructureBody,
      status: 200,
      tag: TAG,
      summary:
        'Damage a structure; at 0 it is destroyed and its storage items are in the container; explosive ' +
        'damage to a base whose defenders are all offline is scaled down (offlineProtected) and opens a raid (docs/raids.md)',
    },
  }),
  repairStructure: defineOperation({
    subject: StructureSubjects.repair,
    request: repairStructureRequest,
    reply: structureView,
    principals: ['server'],
    idempotent: true,
    errors: [NOT_FOUND, INSUFFICIENT_RESOURCES],
    http: {
      method: 'POST',
      path: '/v1/structures/{id}/repair',
      params: { id: 'structureId' },
      body: repairStructureBody,
      status: 200,
      tag: TAG,
      summary:
        "Repair a structure, health at most maxHealth, paying the catalog's repair share out of the " +
        'covering tool cupboard (INSUFFICIENT_RESOURCES when it is not there)',
    },
  }),
  payUpkeep: defineOperation({
    subject: StructureSubjects.upkeep,
    request: upkeepRequest,
    reply: upkeepView,
    principals: ['server'],
    idempotent: true,
    errors: [NOT_FOUND, INSUFFICIENT_RESOURCES],
    http: {
      method: 'POST',
      path: '/v1/structures/{id}/upkeep',
      params: { id: 'structureId' },
      body: upkeepBody,
      status: 200,
      tag: TAG,
      summary:
        `Pay upkeep until paidUntil (in the future, at most ${UPKEEP_MAX_DAYS} days ahead); at a tool ` +
        'cupboard the whole base in its range is paid (covered); the catalog upkeep is taken from the ' +
        'paying cupboard (cost; INSUFFICIENT_RESOURCES when it is not there)',
    },
  }),
  authorizeCupboard: defineOperation({
    subject: StructureSubjects.authorize,
    request: cupboardPlayerRequest,
    reply: structureView,
    principals: ['server'],
    idempotent: true,
    errors: [NOT_FOUND],
    http: {
      method: 'POST',
      path: '/v1/structures/{id}/authorize',
      params: { id: 'structureId' },
      body: cupboardPlayerBody,
      status: 200,
      tag: TAG,
      summary: 'Authorize a player on a tool cupboard (once on authorizedPlayers)',
    },
  }),
  deauthorizeCupboard: defineOperation({
    subject: StructureSubjects.deauthorize,
    request: cupboardPlayerRequest,
    reply: structureView,
    principals: ['server'],
    idempotent: true,
    errors: [NOT_FOUND],
    http: {
      method: 'POST',
      path: '/v1/structures/{id}/deauthorize',
      params: { id: 'structureId' },
      body: cupboardPlayerBody,
      status: 200,
      tag: TAG,
      summary: 'Take a player off a tool cupboard',
    },
  }),
  /** The structure_decay job; idempotent by construction: the same tick applied again changes nothing. */
  decayChunk: defineOperation({
    subject: StructureSubjects.decayChunk,
    request: decayChunkRequest,
    reply: decayChunkView,
    principals: ['admin'],
    idempotent: false,
    errors: [],
  }),
  /** The structures.decay-scan schedule: the chunks with decay to apply at a tick. */
  decayChunks: defineOperation({
    subject: StructureSubjects.decayChunks,
    request: decayChunksRequest,
    reply: decayChunksView,
    principals: ['admin'],
    idempotent: false,
    errors: [],
  }),
} as const;
