/**
 * Vehicles of the world service (issue 5): spawn, read, update and lock. Game servers only. The
 * gateway validates bodies with these schemas and the world service validates NATS payloads with
 * the same ones.
 */
import { z } from 'zod';
import { ErrorCode } from './errors';
import { defineOperation } from './operation';
import { CHUNK_COORD_LIMIT, quaternionView, timestampView, vector3View } from './world';

const uuid = z.uuid({ message: 'must be a UUID' });
const finite = z.number({ message: 'must be a number' }).finite('must be finite');

/** World coordinates the world serves: the chunk range times the 128-unit chunk size. */
export const WORLD_COORD_LIMIT = CHUNK_COORD_LIMIT * 128;

const worldCoord = finite
  .min(-WORLD_COORD_LIMIT, `must be at least -${WORLD_COORD_LIMIT}`)
  .max(WORLD_COORD_LIMIT, `must be at most ${WORLD_COORD_LIMIT}`);
/** A position in the world: x and z bounded by the chunk range, y (height) by ±100,000. */
export const worldPositionSchema = z.strictObject({
  x: worldCoord,
  y: finite.min(-100_000, 'must be at least -100000').max(100_000, 'must be at most 100000'),
  z: worldCoord,
});
const unit = finite.min(-1, 'must be at least -1').max(1, 'must be at most 1');
/** A rotation quaternion; components of a unit quaternion lie in [-1, 1]. */
export const worldRotationSchema = z.strictObject({ x: unit, y: unit, z: unit, w: unit });

export const vehicleTemplateIdSchema = z
  .string({ message: 'must be a string' })
  .regex(/^[a-z][a-z0-9_]{1,63}$/, 'must be a vehicle template id');
/** A damage fraction: 0 intact, 1 wrecked. */
const damage = finite.min(0, 'must be at least 0').max(1, 'must be at most 1');
export const keyCodeSchema = z
  .string({ message: 'must be a string' })
  .regex(/^[A-Za-z0-9]{1,10}$/, 'must be 1 to 10 letters or digits');
/** Free-form modifications (parts, paint, …), bounded so one vehicle cannot bloat a row. */
const modifications = z
  .record(z.string(), z.unknown(), { message: 'must be an object' })
  .refine((v) => JSON.stringify(v).length <= 4096, 'must be at most 4096 bytes of JSON');

export const spawnVehicleBody = z.strictObject({
  templateId: vehicleTemplateIdSchema,
  position: worldPositionSchema,
  rotation: worldRotationSchema,
  ownerId: uuid.optional(),
});

const vehicleChanges = {
  position: worldPositionSchema.optional(),
  rotation: worldRotationSchema.optional(),
  fuelCurrent: finite.min(0, 'must be at least 0').optional(),
  health: finite.min(0, 'must be at least 0').optional(),
  engineDamage: damage.optional(),
  tireDamage: z.array(damage, { message: 'must be an array' }).max(8, 'at most 8 wheels').optional(),
  modifications: modifications.optional(),
};
// Only when the fields themselves are fine: an unknown field is the one problem to name then.
const noOtherIssue = (payload: { issues: unknown[] }) => payload.issues.length === 0;
const changesSomething = (b: object) =>
  Object.keys(b).some((k) => k !== 'vehicleId' && (b as Record<string, unknown>)[k] !== undefined);

/**
 * Fuel and health are checked against the vehicle's own maximum in the service (400 naming the
 * field); tireDamage must have one entry per wheel of the template.
 */
export const updateVehicleBody = z
  .strictObject(vehicleChanges)
  .refine(changesSomething, { message: 'must change at least one field', when: noOtherIssue });

export const vehicleKeyBody = z.strictObject({ keyCode: keyCodeSchema });

// NATS payloads: the HTTP body plus the path id.
export const vehicleIdRequest = z.strictObject({ vehicleId: uuid });
export const updateVehicleRequest = z
  .strictObject({ vehicleId: uuid, ...vehicleChanges })
  .refine(changesSomething, { message: 'must change at least one field', when: noOtherIssue });
export const vehicleKeyRequest = z.strictObject({ vehicleId: uuid, keyCode: keyCodeSchema });
/** The worker's decay tick (admin): `now` is the schedule's tick. */
export const decayVehiclesRequest = z.strictObject({ now: z.iso.datetime({ offset: true }) });

export type SpawnVehicleBody = z.infer<typeof spawnVehicleBody>;
export type UpdateVehicleRequest = z.infer<typeof updateVehicleRequest>;

export const VehicleSubjects = {
  spawn: 'world.vehicle.spawn.v1',
  get: 'world.vehicle.get.v1',
  update: 'world.vehicle.update.v1',
  lock: 'world.vehicle.lock.v1',
  unlock: 'world.vehicle.unlock.v1',
  decay: 'world.vehicle.decay.v1',
} as const;

export const VehicleEvents = {
  destroyed: 'evt.world.vehicle.destroyed.v1',
} as const;

export const vehicleView = z.object({
  id: z.uuid(),
  templateId: z.string(),
  position: vector3View,
  rotation: quaternionView,
  chunkX: z.int(),
  chunkZ: z.int(),
  ownerId: z.uuid().nullable(),
  factionId: z.uuid().nullable(),
  fuelCurrent: z.number(),
  fuelMax: z.number(),
  health: z.number(),
  maxHealth: z.number(),
  engineDamage: z.number(),
  tireDamage: z.array(z.number()),
  modifications: z.record(z.string(), z.unknown()),
  inventoryId: z.uuid(),
  locked: z.boolean(),
  lastUsed: timestampView,
  createdAt: timestampView,
});
export type VehicleView = z.infer<typeof vehicleView>;

/** One decay tick: vehicles that lost health, and the ids of those destroyed. */
export const vehicleDecayView = z.object({ decayed: z.int(), destroyed: z.array(z.uuid()) });
export type VehicleDecayView = z.infer<typeof vehicleDecayView>;

// ---- operations ----------------------------------------------------------------------------------

const { NOT_FOUND, FORBIDDEN, CONFLICT } = ErrorCode;
const TAG = 'world';

/** Game servers spawn, drive and lock vehicles; the worker decays them (admin). */
export const VehicleOps = {
  spawnVehicle: defineOperation({
    subject: VehicleSubjects.spawn,
    request: spawnVehicleBody,
    reply: vehicleView,
    principals: ['server'],
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN],
    http: {
      method: 'POST',
      path: '/v1/vehicles',
      body: spawnVehicleBody,
      status: 201,
      tag: TAG,
      summary: 'Spawn a vehicle of a template: full tank and health, an empty vehicle inventory',
    },
  }),
  getVehicle: defineOperation({
    subject: VehicleSubjects.get,
    request: vehicleIdRequest,
    reply: vehicleView,
    principals: ['server'],
    idempotent: false,
    errors: [NOT_FOUND],
    http: {
      method: 'GET',
      path: '/v1/vehicles/{id}',
      params: { id: 'vehicleId' },
      status: 200,
      tag: TAG,
      summary: 'A vehicle',
    },
  }),
  updateVehicle: defineOperation({
    subject: VehicleSubjects.update,
    request: updateVehicleRequest,
    reply: vehicleView,
    principals: ['server'],
    idempotent: true,
    errors: [NOT_FOUND, CONFLICT],
    http: {
      method: 'PATCH',
      path: '/v1/vehicles/{id}',
      params: { id: 'vehicleId' },
      body: updateVehicleBody,
      status: 200,
      tag: TAG,
      summary:
        "Update a vehicle (fuel and health at most the vehicle's maximum, one tire entry per wheel); " +
        'the chunk follows the position, lastUsed is now',
    },
  }),
  lockVehicle: defineOperation({
    subject: VehicleSubjects.lock,
    request: vehicleKeyRequest,
    reply: vehicleView,
    principals: ['server'],
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN],
    http: {
      method: 'POST',
      path: '/v1/vehicles/{id}/lock',
      params: { id: 'vehicleId' },
      body: vehicleKeyBody,
      status: 200,
      tag: TAG,
      summary: 'Lock with a key code (FORBIDDEN, reason WRONG_KEY_CODE: locked with another code)',
    },
  }),
  unlockVehicle: defineOperation({
    subject: VehicleSubjects.unlock,
    request: vehicleKeyRequest,
    reply: vehicleView,
    principals: ['server'],
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN],
    http: {
      method: 'POST',
      path: '/v1/vehicles/{id}/unlock',
      params: { id: 'vehicleId' },
      body: vehicleKeyBody,
      status: 200,
      tag: TAG,
      summary: 'Unlock with the key code (the code is cleared; FORBIDDEN, reason WRONG_KEY_CODE)',
    },
  }),
  /** The vehicles.decay schedule's tick. */
  decayVehicles: defineOperation({
    subject: VehicleSubjects.decay,
    request: decayVehiclesRequest,
    reply: vehicleDecayView,
    principals: ['admin'],
    idempotent: false,
    errors: [],
  }),
} as const;
