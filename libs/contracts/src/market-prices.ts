/**
 * Market prices (issue 13, rule 7): per item template and currency, the volume-weighted average of
 * the last 24 h, its volume, the trend against the 24 h before and 7 days of hourly candles, from
 * the market purchases. The market.prices.update schedule recomputes them (update_market_prices)
 * into market:prices:{item}, market:volume:{item} and market:trends; the route reads Redis and
 * rebuilds from PostgreSQL when Redis lost them (docs/trades-and-prices.md).
 */
import { z } from 'zod';
import { ErrorCode } from './errors';
import { defineOperation } from './operation';
import { timestampView } from './world';

/** The seed's `currency_type`, in its order. */
export const PRICE_CURRENCIES = ['scrap', 'hqm', 'credits'] as const;
export type PriceCurrency = (typeof PRICE_CURRENCIES)[number];

const priceCurrency = z.enum(PRICE_CURRENCIES, {
  message: `must be one of ${PRICE_CURRENCIES.join(', ')}`,
});
/** An item template id of the catalog (as a path segment). */
export const priceTemplateParam = z
  .string({ message: 'must be a string' })
  .regex(/^[a-z0-9_]{1,64}$/, 'must be an item template id (a-z, 0-9, _; at most 64)');

/** `?currency=`, scrap when absent (the seed's default currency). */
export const marketPricesQuery = z.strictObject({ currency: priceCurrency.optional() });
export const marketPricesRequest = z.strictObject({
  itemTemplateId: priceTemplateParam,
  currency: priceCurrency.optional(),
});
export type MarketPricesRequest = z.infer<typeof marketPricesRequest>;

/** One hour of purchases: prices per unit, volume in units. */
export const priceCandleView = z.object({
  /** The UTC hour the candle starts. */
  hour: timestampView,
  open: z.number(),
  high: z.number(),
  low: z.number(),
  close: z.number(),
  volume: z.int(),
});
export type PriceCandleView = z.infer<typeof priceCandleView>;

export const marketPricesView = z.object({
  itemTemplateId: z.string(),
  currency: z.enum(PRICE_CURRENCIES),
  /** Volume-weighted average price per unit of the last 24 h; null without a purchase in them. */
  average: z.number().nullable(),
  /** Units bought in the last 24 h. */
  volume: z.int(),
  /** Change of the average against the 24 h before, in percent; null without purchases in either. */
  trend: z.number().nullable(),
  /** The schedule's tick these figures are of; null when it has computed nothing for the template. */
  updatedAt: timestampView.nullable(),
  /** Hourly candles of the last 7 days with purchases, oldest first. */
  history: z.array(priceCandleView),
});
export type MarketPricesView = z.infer<typeof marketPricesView>;

/** Internal: the market.prices.update schedule's tick (admin). */
export const updateMarketPricesRequest = z.strictObject({
  now: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with an offset' }),
});
export const updateMarketPricesView = z.object({
  /** The newest tick computed (this one, or a newer one when this tick came late). */
  computedThrough: timestampView,
  /** True when a newer tick was already computed: nothing changed. */
  skipped: z.boolean(),
  /** Candles recomputed. */
  candles: z.int(),
  /** Template and currency pairs with statistics, all written to Redis. */
  templates: z.int(),
  /** Pairs whose statistics were dropped (no purchase in 7 days), removed from Redis. */
  removed: z.int(),
});
export type UpdateMarketPricesView = z.infer<typeof updateMarketPricesView>;

export const MarketPriceSubjects = {
  get: 'market.prices.get.v1',
  update: 'market.prices.update.v1',
} as const;

export const MarketPriceOps = {
  getPrices: defineOperation({
    subject: MarketPriceSubjects.get,
    request: marketPricesRequest,
    reply: marketPricesView,
    principals: ['server', 'player', 'admin'],
    idempotent: false,
    errors: [ErrorCode.NOT_FOUND],
    http: {
      method: 'GET',
      path: '/v1/market/prices/{itemTemplateId}',
      params: {
        itemTemplateId: {
          field: 'itemTemplateId',
          schema: priceTemplateParam,
          description: 'An item template id of the catalog',
        },
      },
      query: marketPricesQuery,
      status: 200,
      tag: 'market',
      summary:
        "An item template's price statistics in a currency (scrap by default): 24 h volume-weighted average, volume, trend and 7 days of hourly candles",
    },
  }),
  /** The market.prices.update schedule: recomputes every statistic at `now` and rewrites Redis. */
  updatePrices: defineOperation({
    subject: MarketPriceSubjects.update,
    request: updateMarketPricesRequest,
    reply: updateMarketPricesView,
    principals: ['admin'],
    idempotent: false,
    errors: [],
  }),
} as const;
