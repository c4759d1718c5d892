import { Injectable } from '@nestjs/common';
import type { Principal } from '@trustno1/contracts';
import type { PrismaDb } from '@trustno1/db';
import { mapProcedureErrors } from '../procedures/procedure-errors';

/**
 * Who may act on an inventory (issues 4 and 11): a game server on the player inventories of
 * characters joined to it and on world inventories (structure, vehicle, container, corpse) of its
 * own region; a player only reads the inventories of its own account's characters. The rule is
 * inventory's SQL inv_require_access (prisma/sql/inventory/07_item_operations.sql), the one the
 * move and consume procedures apply under their locks: one rule, one query for all the ids.
 */
@Injectable()
export class AccessRepository {
  /**
   * Throws NOT_FOUND for an inventory that does not exist and FORBIDDEN for one the principal
   * may not touch; the missing one is reported first so the error names what the caller asked for.
   */
  async require(db: PrismaDb, principal: Principal, inventoryIds: string[]): Promise<void> {
    await mapProcedureErrors(
      () =>
        db.$executeRaw`SELECT inv_require_access(${JSON.stringify(principal)}::jsonb, ${inventoryIds}::uuid[])`,
    );
  }
}
