import { serviceConfigSchema, type z } from '@trustno1/config';

/**
 * The market app's environment: the service base (DATABASE_URL, REDIS_URL, NATS_URL, HEALTH_PORT,
 * LOG_LEVEL, …). A variable of its own is added here with `.extend({...})`, validated at start-up
 * and named in the message when invalid.
 */
export const marketConfigSchema = serviceConfigSchema('market');

export type MarketConfig = z.infer<typeof marketConfigSchema>;
