import { InventoryErrors, type InventoryError } from '@trustno1/contracts';
import { sqlErrorOf } from '@trustno1/db';

/**
 * The stable codes the inventory procedures raise through raise_error (SQLSTATE P0001, MESSAGE =
 * code, DETAIL = JSON), each the AppError code of the same name in the API (SPEC §7): the
 * contracts' InventoryErrors.
 */
export const InventoryErrorCode = InventoryErrors;
export type InventoryErrorCode = InventoryError;

export interface InventoryDbError {
  code: InventoryErrorCode;
  details: Record<string, unknown>;
}

const CODES = new Set<string>(Object.values(InventoryErrorCode));

/** SQLSTATEs of constraints the procedures pre-check; reachable only by writers that bypass them. */
const CONSTRAINT_CODES: Record<string, InventoryErrorCode> = {
  '23P01': InventoryErrorCode.SLOT_OCCUPIED, // inventory_items_no_overlap_excl
  '23505': InventoryErrorCode.SLOT_OCCUPIED, // UNIQUE (inventory_id, grid_x, grid_y)
  '23514': InventoryErrorCode.VALIDATION_FAILED, // CHECK constraints
};

/**
 * Reads an inventory error out of a pg error, or returns null for anything else (deadlocks and
 * serialization failures stay with withTransaction's retry; the rest is a 5xx).
 */
export function inventoryErrorOf(error: unknown): InventoryDbError | null {
  // pg's DatabaseError, or the same error inside Prisma's P2010 wrapping.
  const e = sqlErrorOf(error);
  if (!e) return null;
  if (e.code === 'P0001' && CODES.has(e.message))
    return { code: e.message as InventoryErrorCode, details: parseDetail(e.detail) };
  const mapped = CONSTRAINT_CODES[e.code];
  if (mapped) return { code: mapped, details: e.constraint ? { constraint: e.constraint } : {} };
  return null;
}

function parseDetail(detail: unknown): Record<string, unknown> {
  if (typeof detail !== 'string') return {};
  try {
    const parsed: unknown = JSON.parse(detail);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
