import { AppError, ErrorCode } from '@trustno1/contracts';
import { inventoryErrorOf, type InventoryDbError } from '@trustno1/inventory-domain';

const MESSAGES: Record<InventoryDbError['code'], string> = {
  OUT_OF_BOUNDS: 'The item does not fit inside the grid there',
  OVER_WEIGHT: 'The inventory would be over its weight limit',
  SLOT_OCCUPIED: 'Another item occupies that place',
  INVENTORY_LOCKED: 'The inventory is locked',
  NOT_FOUND: 'Not found',
  VALIDATION_FAILED: 'Invalid request',
  LIMIT_REACHED: 'Limit reached',
  FORBIDDEN: 'Not allowed',
  CONFLICT: 'The item moved meanwhile; read it again',
  INSUFFICIENT_QUANTITY: 'The stack holds less than that',
  IDEMPOTENCY_KEY_REUSED: 'This Idempotency-Key was used for another request',
};

/**
 * Runs `work` and turns the procedures' errors (SQLSTATE P0001 + code) into the AppError of the
 * same code. Called outside withTransaction, so deadlocks and serialization failures were already
 * retried there; anything unmapped propagates unchanged (AppErrors of the service included).
 */
export async function mapProcedureErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const mapped = inventoryErrorOf(error);
    if (!mapped) throw error;
    throw new AppError(mapped.code, MESSAGES[mapped.code], detailsOf(mapped));
  }
}

/** 409 CONFLICT: the item is no longer in the inventory the request was authorised on. */
export function itemMovedMeanwhile(details: Record<string, unknown> = {}): AppError {
  return new AppError(ErrorCode.CONFLICT, 'The item moved meanwhile; read it again', {
    ...details,
    reason: 'ITEM_MOVED',
  });
}

/** A procedure names one bad field as {field, problem}; the API names fields as fields[]. */
function detailsOf(mapped: InventoryDbError): Record<string, unknown> {
  const { field, problem, ...rest } = mapped.details;
  if (mapped.code !== 'VALIDATION_FAILED' || typeof field !== 'string') return mapped.details;
  return { ...rest, fields: [{ field, message: typeof problem === 'string' ? problem : 'invalid' }] };
}
