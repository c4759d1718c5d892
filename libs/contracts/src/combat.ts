/**
 * Combat domain contract: subjects, payload schemas, views and error codes of the combat
 * service, one definition per operation. Generated with its example operation (the service's
 * status); the domain's own operations join `CombatOps` as its issue lands.
 */
import { z } from 'zod';
import { BODY_PARTS, healthSchema } from './accounts';
import { ErrorCode } from './errors';
import { defineOperation } from './operation';
import { timestampView, vector3View } from './world';
import { structurePositionSchema } from './world-structures';

/**
 * The codes the combat SQL functions raise (raise_error in prisma/sql/combat/), each the API error
 * of the same name. With the first code, list this object in OWNER_ERRORS of libs/db's
 * procedure-sources spec; until then a procedure file raising any code fails that spec.
 */
export const CombatErrors = {
  VALIDATION_FAILED: ErrorCode.VALIDATION_FAILED,
  NOT_FOUND: ErrorCode.NOT_FOUND,
  FORBIDDEN: ErrorCode.FORBIDDEN,
  CONFLICT: ErrorCode.CONFLICT,
} as const satisfies { [K in ErrorCode]?: K };
const { NOT_FOUND, FORBIDDEN, CONFLICT } = CombatErrors;

const uuid = z.uuid({ message: 'must be a UUID' });
const finite = z.number({ message: 'must be a number' }).finite('must be finite');

/** Hits one request (HTTP or NATS) may carry, applied in order in one database round trip. */
export const MAX_HITS_PER_BATCH = 500;
/**
 * The hard ceiling of one hit's damage in the contract; the service's COMBAT_MAX_DAMAGE (default
 * 1000) is the working limit and is checked by the service and the SQL function.
 */
export const HIT_DAMAGE_CEILING = 1_000_000;
/** Longest distance a hit may be reported at, in world units (no weapon reaches this far). */
export const HIT_DISTANCE_LIMIT = 100_000;

/** The seed's `body_part` enum: where a hit landed. */
export const hitLocationSchema = z.enum(BODY_PARTS, { message: `must be one of ${BODY_PARTS.join(', ')}` });

const templateRef = z
  .string({ message: 'must be a string' })
  .regex(/^[a-z0-9_]{1,64}$/, 'must be an item template id');

/** One hit as the game server saw it; the server is authoritative for aim and ballistics. */
export const hitSchema = z.strictObject({
  /** The server's id of the hit: a hit id seen before is never applied again. */
  hitId: uuid,
  /** The character who dealt it; absent for damage without a player (fall, fire, an NPC). */
  attackerId: uuid.optional(),
  victimId: uuid,
  /** A weapon template of the item catalog: damage and distance are checked against its stats. */
  weaponId: templateRef.optional(),
  ammoType: templateRef.optional(),
  damage: finite.gt(0, 'must be positive').max(HIT_DAMAGE_CEILING, `must be at most ${HIT_DAMAGE_CEILING}`),
  hitLocation: hitLocationSchema,
  distance: finite
    .min(0, 'must not be negative')
    .max(HIT_DISTANCE_LIMIT, `must be at most ${HIT_DISTANCE_LIMIT}`)
    .optional(),
  headshot: z.boolean({ message: 'must be a boolean' }).optional(),
  positionAttacker: structurePositionSchema.optional(),
  positionVictim: structurePositionSchema.optional(),
});
export type Hit = z.infer<typeof hitSchema>;

export const applyHitsBody = z.strictObject({
  hits: z
    .array(hitSchema, { message: 'must be an array' })
    .min(1, 'at least 1 hit')
    .max(MAX_HITS_PER_BATCH, `at most ${MAX_HITS_PER_BATCH} hits`),
});
export const applyHitsRequest = applyHitsBody;
export type ApplyHitsRequest = z.infer<typeof applyHitsRequest>;

/** Why a hit was not applied: seen before, the victim already dead, or not plausible for the weapon. */
export const HIT_REFUSALS = ['DUPLICATE', 'ALREADY_DEAD', 'IMPLAUSIBLE_HIT'] as const;
export type HitRefusal = (typeof HIT_REFUSALS)[number];

export const hitResultView = z.object({
  hitId: z.uuid(),
  victimId: z.uuid(),
  applied: z.boolean(),
  /** Set when `applied` is false. */
  reason: z.enum(HIT_REFUSALS).optional(),
  /** The victim's health after the hit. */
  health: healthSchema,
  killed: z.boolean(),
  /** The corpse the killing blow made, holding every item the victim had. */
  corpseInventoryId: z.uuid().optional(),
});
export type HitResultView = z.infer<typeof hitResultView>;
export const applyHitsView = z.object({ results: z.array(hitResultView) });
export type ApplyHitsView = z.infer<typeof applyHitsView>;

/**
 * The Redis list hits sent with `Prefer: respond-async` wait on (the seed's `damage:queue`; the
 * same text as RedisKeys.damageQueue(), which a spec of libs/redis holds to).
 */
export const DAMAGE_QUEUE = 'damage:queue';
/** The 202 answer to hits sent with `Prefer: respond-async`: how many hits were queued. */
export const queuedHitsView = z.object({ queued: z.int() });
export type QueuedHitsView = z.infer<typeof queuedHitsView>;

export const respawnBody = z.strictObject({
  /** Where the game server wants the character; moved to the nearest dry land. Else a spawn point. */
  position: structurePositionSchema.optional(),
});
export const respawnRequest = respawnBody.extend({ playerId: uuid });
export const respawnView = z.object({
  playerId: z.uuid(),
  position: vector3View,
  chunkX: z.int(),
  chunkZ: z.int(),
  health: healthSchema,
  respawnedAt: timestampView,
});
export type RespawnView = z.infer<typeof respawnView>;

export const combatStateRequest = z.strictObject({ playerId: uuid });
export const combatStateView = z.object({
  /** Combat within the anti combat-log window (30 s): leaving now keeps the character in the world. */
  inCombat: z.boolean(),
  lastCombatAt: timestampView.nullable(),
  /** Opponents of the last hour, newest first. */
  recent: z.array(z.object({ opponentId: z.uuid(), at: timestampView })),
});
export type CombatStateView = z.infer<typeof combatStateView>;

export const COMBAT_LOGS_MAX_LIMIT = 500;
const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });
/** An opaque keyset cursor: the last row's time and id. */
const cursorSchema = z
  .string({ message: 'must be a string' })
  .max(200, 'too long')
  .regex(/^[A-Za-z0-9_-]+$/, 'must be a cursor this route returned');
export const combatLogsQuery = z.strictObject({
  playerId: uuid.optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  limit: z
    .string({ message: 'must be a number' })
    .regex(/^[0-9]{1,3}$/, `must be 1 to ${COMBAT_LOGS_MAX_LIMIT}`)
    .transform(Number)
    .pipe(
      z
        .int()
        .min(1, 'must be at least 1')
        .max(COMBAT_LOGS_MAX_LIMIT, `must be at most ${COMBAT_LOGS_MAX_LIMIT}`),
    )
    .optional(),
  cursor: cursorSchema.optional(),
});
export const combatLogsRequest = z.strictObject({
  playerId: uuid.optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  limit: z
    .int({ message: 'must be an integer' })
    .min(1, 'must be at least 1')
    .max(COMBAT_LOGS_MAX_LIMIT, `must be at most ${COMBAT_LOGS_MAX_LIMIT}`)
    .optional(),
  cursor: cursorSchema.optional(),
});
export type CombatLogsRequest = z.infer<typeof combatLogsRequest>;
export const combatLogView = z.object({
  id: z.uuid(),
  attackerId: z.uuid().nullable(),
  victimId: z.uuid().nullable(),
  weaponId: z.string().nullable(),
  ammoType: z.string().nullable(),
  damage: z.number(),
  hitLocation: z.enum(BODY_PARTS),
  distance: z.number().nullable(),
  headshot: z.boolean(),
  killingBlow: z.boolean(),
  positionAttacker: vector3View.nullable(),
  positionVictim: vector3View.nullable(),
  createdAt: timestampView,
});
export type CombatLogView = z.infer<typeof combatLogView>;
export const combatLogsView = z.object({
  logs: z.array(combatLogView),
  /** Pass it back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type CombatLogsView = z.infer<typeof combatLogsView>;

/** Outbox events of the combat service. */
export const CombatEvents = {
  playerKilled: 'evt.combat.player.killed.v1',
  hitSuspect: 'evt.combat.hit.suspect.v1',
} as const;

/** Payload of `evt.combat.player.killed.v1`, written in the killing blow's transaction. */
export interface PlayerKilledEvent {
  playerId: string;
  killerId: string | null;
  serverId: string;
  hitId: string;
  weaponId: string | null;
  hitLocation: string;
  corpseInventoryId: string;
  position: { x: number; y: number; z: number };
  killedAt: string;
}

export const combatStatusQuery = z.strictObject({});
export const combatStatusRequest = combatStatusQuery;

export const combatStatusView = z.object({
  service: z.string(),
  /** The PostgreSQL schema the service owns. */
  schema: z.string(),
  /** How many functions the schema publishes. */
  functions: z.int(),
  databaseTime: z.string(),
});
export type CombatStatusView = z.infer<typeof combatStatusView>;

export const CombatSubjects = {
  getStatus: 'combat.status.get.v1',
  applyHits: 'combat.hits.apply.v1',
  respawn: 'combat.player.respawn.v1',
  getCombatState: 'combat.player.state.get.v1',
  listLogs: 'combat.logs.list.v1',
} as const;

const TAG = 'combat';

export const CombatOps = {
  getStatus: defineOperation({
    subject: CombatSubjects.getStatus,
    request: combatStatusRequest,
    reply: combatStatusView,
    principals: ['server', 'admin'],
    idempotent: false,
    errors: [],
    http: {
      method: 'GET',
      path: '/v1/combat/status',
      query: combatStatusQuery,
      status: 200,
      tag: TAG,
      summary: 'The combat service as its database sees it: its schema and how many functions it publishes',
    },
  }),
  applyHits: defineOperation({
    subject: CombatSubjects.applyHits,
    request: applyHitsRequest,
    reply: applyHitsView,
    principals: ['server'],
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN],
    http: {
      method: 'POST',
      path: '/v1/combat/hits',
      body: applyHitsBody,
      status: 200,
      tag: TAG,
      summary:
        '1 to 500 hits applied in order in one transaction: health, combat log, stats, and on a killing blow the corpse and the kill event; a hitId seen before is not applied again',
      respondAsync: {
        queue: DAMAGE_QUEUE,
        reply: queuedHitsView,
        accepted: (request) => ({ queued: (request as ApplyHitsRequest).hits.length }),
        summary:
          'With `Prefer: respond-async`: 202 `{queued}` at once; the batch waits on `damage:queue` and the combat service applies it later, in the order accepted, with the same effects (a hitId is still applied once)',
      },
    },
  }),
  respawn: defineOperation({
    subject: CombatSubjects.respawn,
    request: respawnRequest,
    reply: respawnView,
    principals: ['server'],
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN, CONFLICT],
    http: {
      method: 'POST',
      path: '/v1/players/{id}/respawn',
      params: { id: 'playerId' },
      body: respawnBody,
      status: 200,
      tag: TAG,
      summary: 'Bring a dead character back with full health at a spawn point (CONFLICT NOT_DEAD when alive)',
    },
  }),
  getCombatState: defineOperation({
    subject: CombatSubjects.getCombatState,
    request: combatStateRequest,
    reply: combatStateView,
    principals: ['server', 'player'],
    idempotent: false,
    errors: [NOT_FOUND, FORBIDDEN],
    http: {
      method: 'GET',
      path: '/v1/players/{id}/combat',
      params: { id: 'playerId' },
      status: 200,
      tag: TAG,
      summary:
        "A character's combat state (anti combat-log): in combat, last combat and the opponents of the last hour",
    },
  }),
  listLogs: defineOperation({
    subject: CombatSubjects.listLogs,
    request: combatLogsRequest,
    reply: combatLogsView,
    principals: ['admin', 'server'],
    idempotent: false,
    errors: [NOT_FOUND, FORBIDDEN],
    http: {
      method: 'GET',
      path: '/v1/combat/logs',
      query: combatLogsQuery,
      status: 200,
      tag: TAG,
      summary: 'Combat log rows, newest first, keyset paged (a server: playerId of a character joined to it)',
    },
  }),
} as const;
