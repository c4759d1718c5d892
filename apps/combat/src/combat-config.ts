import { serviceConfigSchema, z } from '@trustno1/config';

/**
 * The combat app's environment: the service base (DATABASE_URL, REDIS_URL, NATS_URL, HEALTH_PORT,
 * LOG_LEVEL, …) plus its game rules, validated at start-up and named in the message when invalid.
 */
export const combatConfigSchema = serviceConfigSchema('combat').extend({
  /** The most damage one hit may deal; more is refused as bad input (400 naming the field). */
  COMBAT_MAX_DAMAGE: z.coerce.number().positive().max(1_000_000).default(1000),
  /**
   * How long a corpse stays in the world (the inventory app's setting of the same name: both apps
   * of a region are given the same value).
   */
  CORPSE_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(10)
    .max(7 * 24 * 3600)
    .default(1800),
  /** The world's terrain seed (the world app's WORLD_SEED): a respawn lands on its dry land. */
  WORLD_SEED: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, dashes or underscores')
    .default('trustno1'),
  /**
   * How long a hit batch sent with `Prefer: respond-async` may wait on damage:queue: an older one
   * is not applied (it goes to the dead letters), since the fight it describes is long over.
   */
  DAMAGE_QUEUE_MAX_AGE_SECONDS: z.coerce.number().int().min(10).max(86_400).default(3600),
  /** How long a drainer's lease on damage:queue lasts: a killed replica's successor waits this long. */
  DAMAGE_QUEUE_LEASE_MS: z.coerce.number().int().min(1000).max(600_000).default(10_000),
  /** Whether this replica drains damage:queue (`false` for a replica that must only answer requests). */
  DAMAGE_QUEUE_DRAIN: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('true')
    .transform((v) => v === 'true'),
});

export type CombatConfig = z.infer<typeof combatConfigSchema>;

/** Injection token of the CombatConfig. */
export const COMBAT_CONFIG = Symbol('COMBAT_CONFIG');
