import { serviceConfigSchema, z } from '@trustno1/config';

/**
 * The market app's environment: the service base (DATABASE_URL, REDIS_URL, NATS_URL, HEALTH_PORT,
 * LOG_LEVEL, …) plus its economy rules, validated at start-up and named in the message when invalid.
 */
export const marketConfigSchema = serviceConfigSchema('market').extend({
  /** Percent of a listing's total taken when it is posted: rounded up, at least 1 coin (0: no fee). */
  LISTING_FEE_PERCENT: z.coerce.number().min(0).max(100).default(1),
  /** Percent of a sale taken from the seller's proceeds, rounded down. */
  SALES_TAX_PERCENT: z.coerce.number().min(0).max(100).default(5),
  /** Active listings one character may have at once (more: 422 LIMIT_REACHED). */
  MARKET_MAX_LISTINGS_PER_PLAYER: z.coerce.number().int().min(1).max(10_000).default(20),
});

export type MarketConfig = z.infer<typeof marketConfigSchema>;

/** Injection token of the MarketConfig. */
export const MARKET_CONFIG = Symbol('MARKET_CONFIG');
