import { loadConfig, serviceConfigSchema, z } from '@trustno1/config';

/**
 * The direct-trade settings of the market service, read from the environment when the module
 * starts (a bad value stops the service with the variable named).
 */
export const tradesConfigSchema = serviceConfigSchema('market').extend({
  /**
   * A trade without an offer change or an accept for this long is refused by every operation and
   * cancelled by the market.trades.expire schedule.
   */
  TRADE_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(3_600).default(60),
  /** Trades cancelled per call of the schedule (the rest wait for the next tick). */
  TRADE_EXPIRE_BATCH: z.coerce.number().int().min(1).max(10_000).default(500),
});

export type TradesConfig = z.infer<typeof tradesConfigSchema>;

export const TRADES_CONFIG = Symbol('TRADES_CONFIG');

export function loadTradesConfig(env: Record<string, string | undefined> = process.env): TradesConfig {
  return loadConfig(tradesConfigSchema, env);
}
