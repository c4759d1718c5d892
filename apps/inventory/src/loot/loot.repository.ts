import { Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { ItemView } from '@trustno1/contracts';
import type { LootDrop, LootTable } from '@trustno1/inventory-domain';

/** loot_tables and fill_container (20261125030000_inventory_loot_corpses). */
@Injectable()
export class LootRepository {
  async tables(db: Pool | PoolClient): Promise<LootTable[]> {
    const { rows } = await db.query<{ definition: LootTable }>(
      `SELECT definition FROM loot_tables ORDER BY id`,
    );
    return rows.map((r) => r.definition);
  }

  async fill(
    tx: PoolClient,
    containerId: string,
    cycle: string,
    tableId: string,
    drops: LootDrop[],
    reference: string,
  ): Promise<{ filled: boolean; items: ItemView[]; skipped: number }> {
    const { rows } = await tx.query<{ r: { filled: boolean; items: ItemView[]; skipped: number } }>(
      `SELECT fill_container($1, $2, $3, $4::jsonb, $5) AS r`,
      [containerId, cycle, tableId, JSON.stringify(drops), reference],
    );
    return rows[0].r;
  }
}
