import type { Pool } from 'pg';
import type { Principal } from '@trustno1/contracts';
import { mapProcedureErrors, retryingContention, type IdempotencyClaim } from '@trustno1/db';

/**
 * The arguments every changing factions function starts with: the principal (its access check),
 * and the kit's idempotency claim (caller, key, request hash; NULLs without an Idempotency-Key).
 */
export function callerArgs(principal: Principal, claim: IdempotencyClaim | undefined): unknown[] {
  return [
    JSON.stringify(principal),
    claim?.principal ?? null,
    claim?.key ?? null,
    claim?.requestHash ?? null,
  ];
}

/**
 * One call of a factions SQL function, its own transaction (one round trip), retried on deadlock
 * and serialization failure; the function's coded errors become the AppError of the code.
 */
export async function callFunction<T>(pool: Pool, sql: string, args: unknown[]): Promise<T> {
  return mapProcedureErrors(() =>
    retryingContention(async () => {
      const { rows } = await pool.query<{ r: T }>(sql, args);
      return rows[0].r;
    }),
  );
}
