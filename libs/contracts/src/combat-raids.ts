/**
 * Raids (issue 12): explosive damage to a base (the structures under one tool cupboard) by someone
 * who is neither one of its defenders nor of its faction opens a raid, later damage extends it,
 * and a schedule closes it once idle. The raid log keeps the factions, the damage, the explosives
 * by type, the participants and the loot raiders took (docs/raids.md).
 */
import { z } from 'zod';
import { ErrorCode } from './errors';
import { defineOperation } from './operation';
import { timestampView, vector3View } from './world';

const uuid = z.uuid({ message: 'must be a UUID' });

/** Most raids one list answers. */
export const RAIDS_LIST_MAX = 100;

/** `?factionId=&structureId=&active=true|false&limit=`; query strings are text. */
export const listRaidsQuery = z.strictObject({
  factionId: uuid.optional(),
  structureId: uuid.optional(),
  active: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .transform((word) => word === 'true')
    .optional(),
  limit: z
    .string()
    .regex(/^[0-9]{1,3}$/, `must be a whole number from 1 to ${RAIDS_LIST_MAX}`)
    .transform(Number)
    .pipe(
      z
        .int()
        .min(1, `must be a whole number from 1 to ${RAIDS_LIST_MAX}`)
        .max(RAIDS_LIST_MAX, `must be a whole number from 1 to ${RAIDS_LIST_MAX}`),
    )
    .optional(),
});
export const listRaidsRequest = z.strictObject({
  factionId: uuid.optional(),
  structureId: uuid.optional(),
  active: z.boolean({ message: 'must be a boolean' }).optional(),
  limit: z
    .int({ message: 'must be an integer' })
    .min(1, 'must be at least 1')
    .max(RAIDS_LIST_MAX, `must be at most ${RAIDS_LIST_MAX}`)
    .optional(),
});
export const raidPathParams = z.object({ id: uuid });
/** GET /v1/raids/{id} takes no query fields. */
export const getRaidQuery = z.strictObject({});
export const getRaidRequest = z.strictObject({ raidId: uuid });
/** Internal: the raids.close-idle schedule's tick (admin). */
export const closeIdleRaidsRequest = z.strictObject({
  now: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with an offset' }),
});

export const RaidSubjects = {
  list: 'combat.raid.list.v1',
  get: 'combat.raid.get.v1',
  closeIdle: 'combat.raid.close-idle.v1',
} as const;

/** Events of raids (outbox, stream EVENTS), for the factions service's alerts. */
export const RaidEvents = {
  started: 'evt.combat.raid.started.v1',
  ended: 'evt.combat.raid.ended.v1',
} as const;

export const raidLootView = z.object({ itemTemplateId: z.string(), quantity: z.int() });

export const raidView = z.object({
  id: z.uuid(),
  /** The structure whose damage opened the raid; it may be gone since (see `structure`). */
  structureId: z.uuid().nullable(),
  /** What that structure was when the raid opened. */
  structure: z
    .object({
      id: z.uuid(),
      structureType: z.string().nullable(),
      ownerId: z.uuid().nullable(),
      factionId: z.uuid().nullable(),
      position: vector3View.nullable(),
      maxHealth: z.number().nullable(),
    })
    .nullable(),
  /** The base: its tool cupboard, or the structure itself when no cupboard covers it. */
  baseId: z.uuid().nullable(),
  cupboardId: z.uuid().nullable(),
  raiderFactionId: z.uuid().nullable(),
  defenderFactionId: z.uuid().nullable(),
  startedAt: timestampView.nullable(),
  endedAt: timestampView.nullable(),
  lastDamageAt: timestampView.nullable(),
  active: z.boolean(),
  /** Set when the raid ends: the cupboard destroyed or loot taken. */
  successful: z.boolean().nullable(),
  damageDealt: z.number(),
  /** Explosions by explosive type. */
  explosivesUsed: z.record(z.string(), z.int()),
  /** Set when the raid ends: what raiders moved out of the base's storage while it was open. */
  lootTaken: z.array(raidLootView).nullable(),
  participants: z.object({ raiders: z.array(z.uuid()), defenders: z.array(z.uuid()) }),
  /** Offline-raid protection scaled some of the raid's damage. */
  offlineProtected: z.boolean(),
  cupboardDestroyed: z.boolean(),
});
export type RaidView = z.infer<typeof raidView>;

export const closeIdleRaidsView = z.object({ closed: z.int(), raids: z.array(z.uuid()) });
export type CloseIdleRaidsView = z.infer<typeof closeIdleRaidsView>;

/** Payload of `evt.combat.raid.started.v1`. */
export interface RaidStartedEvent {
  raidId: string;
  baseId: string;
  cupboardId: string | null;
  structureId: string;
  raiderFactionId: string | null;
  defenderFactionId: string | null;
  attackerId: string;
  defenders: string[];
  position: { x: number; y: number; z: number };
  offlineProtected: boolean;
  startedAt: string;
}

/** Payload of `evt.combat.raid.ended.v1`. */
export interface RaidEndedEvent {
  raidId: string;
  baseId: string;
  cupboardId: string | null;
  structureId: string | null;
  raiderFactionId: string | null;
  defenderFactionId: string | null;
  successful: boolean;
  cupboardDestroyed: boolean;
  lootTaken: { itemTemplateId: string; quantity: number }[];
  damageDealt: number;
  explosivesUsed: Record<string, number>;
  participants: { raiders: string[]; defenders: string[] };
  startedAt: string;
  endedAt: string;
}

/** Raids raise no SQL errors; the service refuses with these codes. */
export const RaidErrors = {
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
} as const satisfies { [K in ErrorCode]?: K };

const { NOT_FOUND, FORBIDDEN } = ErrorCode;
const TAG = 'combat';

export const RaidOps = {
  listRaids: defineOperation({
    subject: RaidSubjects.list,
    request: listRaidsRequest,
    reply: z.array(raidView),
    principals: ['admin', 'server', 'player'],
    idempotent: false,
    errors: [FORBIDDEN],
    http: {
      method: 'GET',
      path: '/v1/raids',
      query: listRaidsQuery,
      status: 200,
      tag: TAG,
      summary:
        `Raid logs, newest first, at most limit (default 50, at most ${RAIDS_LIST_MAX}): factionId as raider ` +
        'or defender, structureId (the structure first hit or the base cupboard), active=true|false. A ' +
        "player sees its characters' factions' raids only (FORBIDDEN for another factionId)",
    },
  }),
  getRaid: defineOperation({
    subject: RaidSubjects.get,
    request: getRaidRequest,
    reply: raidView,
    principals: ['admin', 'server', 'player'],
    idempotent: false,
    errors: [NOT_FOUND],
    http: {
      method: 'GET',
      path: '/v1/raids/{id}',
      params: { id: 'raidId' },
      query: getRaidQuery,
      status: 200,
      tag: TAG,
      summary: "A raid log (a player: only a raid of its characters' factions, NOT_FOUND otherwise)",
    },
  }),
  /** The raids.close-idle schedule: closes the raids idle for RAID_IDLE_MINUTES at `now`. */
  closeIdleRaids: defineOperation({
    subject: RaidSubjects.closeIdle,
    request: closeIdleRaidsRequest,
    reply: closeIdleRaidsView,
    principals: ['admin'],
    idempotent: false,
    errors: [],
  }),
} as const;
