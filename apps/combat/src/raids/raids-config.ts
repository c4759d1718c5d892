import { loadConfig, serviceConfigSchema, z } from '@trustno1/config';

/**
 * The raid settings of the combat service, read from the environment when the module starts (a bad
 * value stops the service with the variable named). The base settings give the consumer its NATS
 * URL, stream and subject prefix.
 */
export const raidsConfigSchema = serviceConfigSchema('combat').extend({
  /** A raid without raid damage for this long is closed by the raids.close-idle schedule. */
  RAID_IDLE_MINUTES: z.coerce.number().gt(0).max(1_440).default(10),
  /** Raids closed per call of the schedule (the rest wait for the next tick). */
  RAID_CLOSE_BATCH: z.coerce.number().int().min(1).max(10_000).default(500),
});

export type RaidsConfig = z.infer<typeof raidsConfigSchema>;

export const RAIDS_CONFIG = Symbol('RAIDS_CONFIG');

export function loadRaidsConfig(env: Record<string, string | undefined> = process.env): RaidsConfig {
  return loadConfig(raidsConfigSchema, env);
}
