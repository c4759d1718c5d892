/**
 * World events (issue 5): airdrops, convoys, storms… spawned by the `event_spawn` queue from the
 * catalog's templates, joined by players through their game server, completed with a winner or
 * expired by a schedule.
 */
import { z } from 'zod';
import { ErrorCode } from './errors';
import { defineOperation } from './operation';
import { timestampView, vector3View } from './world';

const uuid = z.uuid({ message: 'must be a UUID' });
const tick = z.iso.datetime({ offset: true, message: 'must be an ISO date-time' });
const token = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -');

/** `?active=true|false`; absent lists both. Query strings are text, so only these two words. */
export const listEventsQuery = z.strictObject({
  active: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .transform((word) => word === 'true')
    .optional(),
});
export const joinEventBody = z.strictObject({ playerId: uuid });
export const completeEventBody = z.strictObject({ winnerId: uuid });

export const listEventsRequest = z.strictObject({
  active: z.boolean({ message: 'must be a boolean' }).optional(),
});
export const joinEventRequest = joinEventBody.extend({ eventId: uuid });
export const completeEventRequest = completeEventBody.extend({ eventId: uuid });
/** The worker's event_spawn job (admin). */
export const spawnEventRequest = z.strictObject({
  templateId: z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, 'must be an event template id'),
  region: token.optional(),
  tick,
});
/** The worker's expiry tick (admin). */
export const expireEventsRequest = z.strictObject({ now: tick });

export const WorldEventSubjects = {
  list: 'world.event.list.v1',
  join: 'world.event.join.v1',
  complete: 'world.event.complete.v1',
  spawn: 'world.event.spawn.v1',
  expire: 'world.event.expire.v1',
} as const;

export const WorldEventEvents = {
  completed: 'evt.world.event.completed.v1',
} as const;

export const eventRewardView = z.object({ itemTemplateId: z.string(), quantity: z.int() });
export type EventRewardView = z.infer<typeof eventRewardView>;

export const worldEventView = z.object({
  id: z.uuid(),
  eventType: z.string(),
  name: z.string().nullable(),
  description: z.string().nullable(),
  location: vector3View,
  chunkX: z.int(),
  chunkZ: z.int(),
  participants: z.array(z.uuid()),
  rewards: z.array(eventRewardView).nullable(),
  maxParticipants: z.int().nullable(),
  startedAt: timestampView,
  endsAt: timestampView,
  completed: z.boolean(),
  winnerId: z.uuid().nullable(),
  /** `won` or `expired` once completed. */
  outcome: z.string().nullable(),
  /** The container holding the rewards that did not fit the winner's inventories, if any. */
  rewardContainerInventoryId: z.uuid().nullable(),
});
export type WorldEventView = z.infer<typeof worldEventView>;

export const joinEventView = z.object({
  /** False when the player had already joined (nothing changed). */
  joined: z.boolean(),
  event: worldEventView,
});
export type JoinEventView = z.infer<typeof joinEventView>;

/** The result of one spawn request: the event (new or already spawned for that tick), or why none. */
export const spawnEventView = z.union([
  z.object({ status: z.enum(['spawned', 'existing']), eventId: z.uuid() }),
  z.object({ status: z.literal('no_location'), attempts: z.int() }),
]);
export type SpawnEventView = z.infer<typeof spawnEventView>;

export const expireEventsView = z.object({ expired: z.array(z.uuid()) });
export type ExpireEventsView = z.infer<typeof expireEventsView>;

/**
 * Payload of `evt.world.event.completed.v1`: the winner's rewards, already delivered in the
 * completing transaction (items in the winner's inventories, the rest in the overflow container a
 * game server spawns at the event's location).
 */
export interface WorldEventCompletedEvent {
  eventId: string;
  eventType: string;
  winnerId: string;
  rewards: EventRewardView[];
  /** Ids of the item stacks created for the winner (item_ledger reason `event_reward`). */
  itemIds: string[];
  rewardContainerInventoryId: string | null;
}

// ---- operations ----------------------------------------------------------------------------------

const { NOT_FOUND, FORBIDDEN, CONFLICT, LIMIT_REACHED } = ErrorCode;
const TAG = 'world';

/** Game servers list, join and complete events; the worker spawns and expires them (admin). */
export const WorldEventOps = {
  listEvents: defineOperation({
    subject: WorldEventSubjects.list,
    request: listEventsRequest,
    reply: z.array(worldEventView),
    principals: ['server'],
    idempotent: false,
    errors: [],
    http: {
      method: 'GET',
      path: '/v1/events',
      query: listEventsQuery,
      status: 200,
      tag: TAG,
      summary:
        'World events, newest first, at most 500; active=true: running (not completed, not past its ' +
        'end), false: the others, absent: all',
    },
  }),
  joinEvent: defineOperation({
    subject: WorldEventSubjects.join,
    request: joinEventRequest,
    reply: joinEventView,
    principals: ['server'],
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN, CONFLICT, LIMIT_REACHED],
    http: {
      method: 'POST',
      path: '/v1/events/{id}/join',
      params: { id: 'eventId' },
      body: joinEventBody,
      status: 200,
      tag: TAG,
      summary:
        'Join a player joined to this server; joined false when already a participant (CONFLICT, ' +
        'reason EVENT_ENDED; LIMIT_REACHED: maxParticipants)',
    },
  }),
  completeEvent: defineOperation({
    subject: WorldEventSubjects.complete,
    request: completeEventRequest,
    reply: worldEventView,
    principals: ['server'],
    idempotent: true,
    errors: [NOT_FOUND, CONFLICT],
    http: {
      method: 'POST',
      path: '/v1/events/{id}/complete',
      params: { id: 'eventId' },
      body: completeEventBody,
      status: 200,
      tag: TAG,
      summary:
        "Complete with a winner among the participants; the rolled rewards go to the winner's " +
        'inventories through the item ledger, once (CONFLICT, reason EVENT_COMPLETED)',
    },
  }),
  /** An event_spawn job. */
  spawnEvent: defineOperation({
    subject: WorldEventSubjects.spawn,
    request: spawnEventRequest,
    reply: spawnEventView,
    principals: ['admin'],
    idempotent: false,
    errors: [],
  }),
  /** The events.expire schedule's tick. */
  expireEvents: defineOperation({
    subject: WorldEventSubjects.expire,
    request: expireEventsRequest,
    reply: expireEventsView,
    principals: ['admin'],
    idempotent: false,
    errors: [],
  }),
} as const;
