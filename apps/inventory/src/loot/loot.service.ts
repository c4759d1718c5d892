import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { z } from 'zod';
import type { fillLootRequest, LootFillView } from '@trustno1/contracts';
import { prismaTransaction, PrismaClient } from '@trustno1/db';
import {
  lootSeed,
  lootTableFor,
  rollLoot,
  seededRandom,
  syncLootTables,
  type LootTable,
} from '@trustno1/inventory-domain';
import { mapProcedureErrors } from '../procedures/procedure-errors';
import { LootRepository } from './loot.repository';

@Injectable()
export class LootService implements OnApplicationBootstrap {
  private readonly logger = new Logger(LootService.name);
  /** Tables change only at start-up (syncLootTables), so they are read once and kept. */
  private cached: Promise<LootTable[]> | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly repository: LootRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const changed = await syncLootTables(this.prisma);
    this.logger.log(`loot tables synced: ${changed} changed`);
  }

  /**
   * Fills a container for a loot cycle once. The roll is seeded by (container, cycle), so a
   * retried job rolls the same drops; fill_container records the fill with the items in one
   * transaction, so a second run, or a racing worker, adds nothing.
   */
  fill(req: z.infer<typeof fillLootRequest>, reference: string): Promise<LootFillView> {
    return mapProcedureErrors(async () => {
      const table = lootTableFor(await this.tables(), req.containerType, req.biome);
      if (!table) return { filled: false, tableId: null, items: [], skipped: 0 };
      const drops = rollLoot(table, seededRandom(lootSeed(req.containerId, req.cycle)), req.biome);
      const result = await prismaTransaction(this.prisma, (tx) =>
        this.repository.fill(tx, req.containerId, req.cycle, table.id, drops, reference),
      );
      return { ...result, tableId: table.id };
    });
  }

  private tables(): Promise<LootTable[]> {
    this.cached ??= this.repository.tables(this.prisma).catch((error: unknown) => {
      this.cached = undefined;
      throw error;
    });
    return this.cached;
  }
}
