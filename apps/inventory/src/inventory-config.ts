import { serviceConfigSchema, z } from '@trustno1/config';

/**
 * The inventory app's environment: the service base plus its game rules (SPEC §4 "all
 * configurable"). INVENTORY_MAX_ITEMS_PER_SERVER is written to inventory_settings at start-up,
 * where the item triggers read it; replicas of one region must agree on it.
 */
export const inventoryConfigSchema = serviceConfigSchema('inventory').extend({
  INVENTORY_MAX_ITEMS_PER_SERVER: z.coerce.number().int().min(0).max(1_000_000_000).default(1_000_000),
  /** How long a corpse stays in the world before corpses.cleanup removes it and its items. */
  CORPSE_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(10)
    .max(7 * 24 * 3600)
    .default(1800),
});

export type InventoryConfig = z.infer<typeof inventoryConfigSchema>;

/** Injection token of the InventoryConfig. */
export const INVENTORY_CONFIG = Symbol('INVENTORY_CONFIG');

/** Injection token of the clock; tests of time rules replace it. */
export const CLOCK = Symbol('CLOCK');

export interface Clock {
  now(): Date;
}
