/**
 * Combat domain contract: subjects, payload schemas, views and error codes of the combat
 * service, one definition per operation. Generated with its example operation (the service's
 * status); the domain's own operations join `CombatOps` as its issue lands.
 */
import { z } from 'zod';
import type { ErrorCode } from './errors';
import { defineOperation } from './operation';

/**
 * The codes the combat SQL functions raise (raise_error in prisma/sql/combat/), each the API error
 * of the same name. With the first code, list this object in OWNER_ERRORS of libs/db's
 * procedure-sources spec; until then a procedure file raising any code fails that spec.
 */
export const CombatErrors = {} as const satisfies { [K in ErrorCode]?: K };

export const combatStatusQuery = z.strictObject({});
export const combatStatusRequest = combatStatusQuery;

export const combatStatusView = z.object({
  service: z.string(),
  /** The PostgreSQL schema the service owns. */
  schema: z.string(),
  /** How many functions the schema publishes. */
  functions: z.int(),
  databaseTime: z.string(),
});
export type CombatStatusView = z.infer<typeof combatStatusView>;

export const CombatSubjects = {
  getStatus: 'combat.status.get.v1',
} as const;

const TAG = 'combat';

export const CombatOps = {
  getStatus: defineOperation({
    subject: CombatSubjects.getStatus,
    request: combatStatusRequest,
    reply: combatStatusView,
    principals: ['server', 'admin'],
    idempotent: false,
    errors: [],
    http: {
      method: 'GET',
      path: '/v1/combat/status',
      query: combatStatusQuery,
      status: 200,
      tag: TAG,
      summary: 'The combat service as its database sees it: its schema and how many functions it publishes',
    },
  }),
} as const;
