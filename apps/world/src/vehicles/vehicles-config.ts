import { loadConfig, z } from '@trustno1/config';

/**
 * Abandonment decay of vehicles (docs/world.md). Read from the environment when the module starts,
 * so a bad value stops the world service with the variable named.
 */
export const vehiclesConfigSchema = z.object({
  /** Hours without use after which a vehicle starts to decay. */
  VEHICLE_ABANDON_HOURS: z.coerce
    .number()
    .gt(0)
    .max(24 * 365)
    .default(24),
  /** Share of max health an abandoned vehicle loses per hour (0.1: gone 10 hours later). */
  VEHICLE_DECAY_PER_HOUR: z.coerce.number().gt(0).max(1).default(0.1),
  /** Vehicles decayed per transaction; a tick runs as many batches as it needs. */
  VEHICLE_DECAY_BATCH: z.coerce.number().int().min(1).max(10_000).default(500),
});

export type VehiclesConfig = z.infer<typeof vehiclesConfigSchema>;

export const VEHICLES_CONFIG = Symbol('VEHICLES_CONFIG');

export function loadVehiclesConfig(env: Record<string, string | undefined> = process.env): VehiclesConfig {
  return loadConfig(vehiclesConfigSchema, env);
}
