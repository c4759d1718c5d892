/**
 * World events (issue 5): airdrops, convoys, storms… spawned by the `event_spawn` queue from the
 * catalog's templates, joined by players through their game server, completed with a winner or
 * expired by a schedule.
 */
import { z } from 'zod';

const uuid = z.uuid({ message: 'must be a UUID' });
const tick = z.iso.datetime({ offset: true, message: 'must be an ISO date-time' });
const token = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -');

/** `?active=true|false`; absent lists both. Query strings are text, so only these two words. */
export const listEventsQuery = z.strictObject({
  active: z.enum(['true', 'false'], { message: 'must be true or false' }).optional(),
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

export interface EventRewardView {
  itemTemplateId: string;
  quantity: number;
}

export interface WorldEventView {
  id: string;
  eventType: string;
  name: string | null;
  description: string | null;
  location: { x: number; y: number; z: number };
  chunkX: number;
  chunkZ: number;
  participants: string[];
  rewards: EventRewardView[] | null;
  maxParticipants: number | null;
  startedAt: string;
  endsAt: string;
  completed: boolean;
  winnerId: string | null;
  /** `won` or `expired` once completed. */
  outcome: string | null;
}

export interface JoinEventView {
  /** False when the player had already joined (nothing changed). */
  joined: boolean;
  event: WorldEventView;
}

/** The result of one spawn request: the event (new or already spawned for that tick), or why none. */
export type SpawnEventView =
  { status: 'spawned' | 'existing'; eventId: string } | { status: 'no_location'; attempts: number };

export interface ExpireEventsView {
  expired: string[];
}

/** Payload of `evt.world.event.completed.v1`: the winner's rewards, for whoever grants them. */
export interface WorldEventCompletedEvent {
  eventId: string;
  eventType: string;
  winnerId: string;
  rewards: EventRewardView[];
}
