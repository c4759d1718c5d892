import { loadConfig, z } from '@trustno1/config';

/**
 * The structure rules a studio tunes per world (SPEC §4 defaults). Read from the environment when
 * the module starts, so a bad value stops the world service with the variable named.
 */
export const structuresConfigSchema = z.object({
  STRUCTURES_PER_CHUNK: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /** Tool cupboard range in world units; also the search window for cupboards (at most a chunk). */
  TC_RANGE: z.coerce.number().gt(0).max(128).default(30),
  /** Structures decayed per transaction; a chunk is decayed in as many batches as it needs. */
  DECAY_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  /**
   * Offline-raid protection: explosive damage to a base none of whose defenders (cupboard owner and
   * authorized players, the structure's owner) or faction members has been online for this long…
   */
  OFFLINE_RAID_GRACE_MINUTES: z.coerce.number().min(0).max(10_080).default(15),
  /** …is multiplied by this (0 to 1; 1 turns the protection off). */
  OFFLINE_RAID_DAMAGE_SCALE: z.coerce.number().min(0).max(1).default(0.25),
});

export type StructuresConfig = z.infer<typeof structuresConfigSchema>;

export const STRUCTURES_CONFIG = Symbol('STRUCTURES_CONFIG');

export function loadStructuresConfig(
  env: Record<string, string | undefined> = process.env,
): StructuresConfig {
  return loadConfig(structuresConfigSchema, env);
}
