import { loadConfig, z } from '@trustno1/config';

/**
 * Where world events may spawn (SPEC §6 "random valid places"). Read from the environment when the
 * module starts, so a bad value stops the world service with the variable named.
 */
export const eventsConfigSchema = z.object({
  /** Events spawn within ±this many world units of the origin on x and z (default 32 chunks). */
  EVENT_WORLD_HALF_SIZE: z.coerce.number().gt(0).max(100_000_000).default(4096),
  /** Random points tried per spawn before it gives up (`no_location`). */
  EVENT_SPAWN_ATTEMPTS: z.coerce.number().int().min(1).max(10_000).default(256),
});

export type EventsConfig = z.infer<typeof eventsConfigSchema>;

export const EVENTS_CONFIG = Symbol('EVENTS_CONFIG');

export function loadEventsConfig(env: Record<string, string | undefined> = process.env): EventsConfig {
  return loadConfig(eventsConfigSchema, env);
}
