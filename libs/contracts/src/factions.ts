/**
 * Factions domain contract: subjects, payload schemas, views and error codes of the factions
 * service, one definition per operation. Generated with its example operation (the service's
 * status); the domain's own operations join `FactionsOps` as its issue lands.
 */
import { z } from 'zod';
import type { ErrorCode } from './errors';
import { defineOperation } from './operation';

/**
 * The codes the factions SQL functions raise (raise_error in prisma/sql/factions/), each the API error
 * of the same name. With the first code, list this object in OWNER_ERRORS of libs/db's
 * procedure-sources spec; until then a procedure file raising any code fails that spec.
 */
export const FactionsErrors = {} as const satisfies { [K in ErrorCode]?: K };

export const factionsStatusQuery = z.strictObject({});
export const factionsStatusRequest = factionsStatusQuery;

export const factionsStatusView = z.object({
  service: z.string(),
  /** The PostgreSQL schema the service owns. */
  schema: z.string(),
  /** How many functions the schema publishes. */
  functions: z.int(),
  databaseTime: z.string(),
});
export type FactionsStatusView = z.infer<typeof factionsStatusView>;

export const FactionsSubjects = {
  getStatus: 'factions.status.get.v1',
} as const;

const TAG = 'factions';

export const FactionsOps = {
  getStatus: defineOperation({
    subject: FactionsSubjects.getStatus,
    request: factionsStatusRequest,
    reply: factionsStatusView,
    principals: ['server', 'admin'],
    idempotent: false,
    errors: [],
    http: {
      method: 'GET',
      path: '/v1/factions/status',
      query: factionsStatusQuery,
      status: 200,
      tag: TAG,
      summary: 'The factions service as its database sees it: its schema and how many functions it publishes',
    },
  }),
} as const;
