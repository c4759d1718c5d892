import { Injectable } from '@nestjs/common';
import type { ItemView } from '@trustno1/contracts';
import type { PrismaDb } from '@trustno1/db';
import type { LootDrop, LootTable } from '@trustno1/inventory-domain';

/** loot_tables and fill_container (20261125030000_inventory_loot_corpses). */
@Injectable()
export class LootRepository {
  async tables(db: PrismaDb): Promise<LootTable[]> {
    const rows = await db.lootTable.findMany({ orderBy: { id: 'asc' }, select: { definition: true } });
    return rows.map((r) => r.definition as unknown as LootTable);
  }

  async fill(
    tx: PrismaDb,
    containerId: string,
    cycle: string,
    tableId: string,
    drops: LootDrop[],
    reference: string,
  ): Promise<{ filled: boolean; items: ItemView[]; skipped: number }> {
    const [row] = await tx.$queryRaw<{ r: { filled: boolean; items: ItemView[]; skipped: number } }[]>`
      SELECT fill_container(${containerId}::uuid, ${cycle}, ${tableId}, ${JSON.stringify(drops)}::jsonb, ${reference}) AS r`;
    return row.r;
  }
}
