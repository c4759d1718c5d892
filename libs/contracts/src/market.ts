/**
 * Market domain contract: subjects, payload schemas, views and error codes of the market
 * service, one definition per operation. Generated with its example operation (the service's
 * status); the domain's own operations join `MarketOps` as its issue lands.
 */
import { z } from 'zod';
import { ErrorCode } from './errors';
import { defineOperation } from './operation';

/**
 * The codes the market SQL functions raise (raise_error in prisma/sql/market/), each the API error
 * of the same name. With the first code, list this object in OWNER_ERRORS of libs/db's
 * procedure-sources spec; until then a procedure file raising any code fails that spec.
 */
export const MarketErrors = {
  VALIDATION_FAILED: ErrorCode.VALIDATION_FAILED,
  NOT_FOUND: ErrorCode.NOT_FOUND,
  FORBIDDEN: ErrorCode.FORBIDDEN,
  /** A balance would go below zero (nothing changed). */
  INSUFFICIENT_FUNDS: ErrorCode.INSUFFICIENT_FUNDS,
  /** A purchase of more than the listing has left. */
  INSUFFICIENT_QUANTITY: ErrorCode.INSUFFICIENT_QUANTITY,
  /** MARKET_MAX_LISTINGS_PER_PLAYER active listings already. */
  LIMIT_REACHED: ErrorCode.LIMIT_REACHED,
  /** A claim's items do not fit where they were to be collected. */
  SLOT_OCCUPIED: ErrorCode.SLOT_OCCUPIED,
  LISTING_SOLD_OUT: ErrorCode.LISTING_SOLD_OUT,
  LISTING_EXPIRED: ErrorCode.LISTING_EXPIRED,
  LISTING_CANCELLED: ErrorCode.LISTING_CANCELLED,
  /** A seller buying their own listing. */
  OWN_LISTING: ErrorCode.OWN_LISTING,
  /** Raised by the platform's idempotency_claim (and wallet_move's keys) inside a market operation. */
  IDEMPOTENCY_KEY_REUSED: ErrorCode.IDEMPOTENCY_KEY_REUSED,
} as const satisfies { [K in ErrorCode]?: K };

export const marketStatusQuery = z.strictObject({});
export const marketStatusRequest = marketStatusQuery;

export const marketStatusView = z.object({
  service: z.string(),
  /** The PostgreSQL schema the service owns. */
  schema: z.string(),
  /** How many functions the schema publishes. */
  functions: z.int(),
  databaseTime: z.string(),
});
export type MarketStatusView = z.infer<typeof marketStatusView>;

export const MarketSubjects = {
  getStatus: 'market.status.get.v1',
} as const;

const TAG = 'market';

export const MarketOps = {
  getStatus: defineOperation({
    subject: MarketSubjects.getStatus,
    request: marketStatusRequest,
    reply: marketStatusView,
    principals: ['server', 'admin'],
    idempotent: false,
    errors: [],
    http: {
      method: 'GET',
      path: '/v1/market/status',
      query: marketStatusQuery,
      status: 200,
      tag: TAG,
      summary: 'The market service as its database sees it: its schema and how many functions it publishes',
    },
  }),
} as const;
