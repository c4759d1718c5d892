/**
 * Market domain contract: subjects, payload schemas, views and error codes of the market
 * service, one definition per operation. Generated with its example operation (the service's
 * status); the domain's own operations join `MarketOps` as its issue lands.
 */
import { z } from 'zod';
import type { ErrorCode } from './errors';
import { defineOperation } from './operation';

/**
 * The codes the market SQL functions raise (raise_error in prisma/sql/market/), each the API error
 * of the same name. With the first code, list this object in OWNER_ERRORS of libs/db's
 * procedure-sources spec; until then a procedure file raising any code fails that spec.
 */
export const MarketErrors = {} as const satisfies { [K in ErrorCode]?: K };

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
