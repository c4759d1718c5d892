import { serviceConfigSchema, type z } from '@trustno1/config';

/**
 * The seasons app's environment: the service base (DATABASE_URL, REDIS_URL, NATS_URL, HEALTH_PORT,
 * LOG_LEVEL, EVENTS_STREAM, …). A variable of its own is added here with `.extend({...})`,
 * validated at start-up and named in the message when invalid.
 */
export const seasonsConfigSchema = serviceConfigSchema('seasons');

export type SeasonsConfig = z.infer<typeof seasonsConfigSchema>;

/** Injection token of the loaded config. */
export const SEASONS_CONFIG = Symbol('SEASONS_CONFIG');
