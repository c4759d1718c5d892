import { Injectable } from '@nestjs/common';
import { AppError, ErrorCode, type Principal } from '@trustno1/contracts';
import type { PrismaDb } from '@trustno1/db';

/**
 * Who may act on an inventory (SPEC §8, issue 4): a game server on world containers (structure,
 * vehicle, container, corpse) and on the player inventories of characters joined to it; a player
 * only reads the inventories of its own account's characters. One query for all the ids.
 */
@Injectable()
export class AccessRepository {
  /**
   * Throws NOT_FOUND for an inventory that does not exist and FORBIDDEN for one the principal
   * may not touch; the missing one is reported first so the error names what the caller asked for.
   */
  async require(db: PrismaDb, principal: Principal, inventoryIds: string[]): Promise<void> {
    const serverId = principal.kind === 'server' ? principal.serverId : null;
    const accountId = principal.kind === 'player' ? principal.accountId : null;
    const rows = await db.$queryRaw<{ id: string; allowed: boolean }[]>`
      SELECT i.id::text AS id,
             CASE WHEN ${serverId}::uuid IS NOT NULL THEN
                    i.owner_type <> 'player'
                    OR EXISTS (SELECT 1 FROM accounts.players p WHERE p.id = i.owner_id AND p.server_id = ${serverId}::uuid)
                  WHEN ${accountId}::uuid IS NOT NULL THEN
                    i.owner_type = 'player'
                    AND EXISTS (SELECT 1 FROM accounts.players p WHERE p.id = i.owner_id AND p.account_id = ${accountId}::uuid)
                  ELSE false END AS allowed
        FROM inventories i
       WHERE i.id = ANY(${[...new Set(inventoryIds)]}::uuid[])`;
    const allowed = new Map(rows.map((r) => [r.id, r.allowed]));
    for (const id of inventoryIds) {
      if (!allowed.has(id))
        throw new AppError(ErrorCode.NOT_FOUND, 'Inventory not found', { inventoryId: id });
    }
    for (const id of inventoryIds) {
      if (!allowed.get(id))
        throw new AppError(ErrorCode.FORBIDDEN, 'This inventory is not yours to act on', { inventoryId: id });
    }
  }
}
