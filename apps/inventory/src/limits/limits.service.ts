import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { PrismaClient } from '@trustno1/db';
import { INVENTORY_CONFIG, type InventoryConfig } from '../inventory-config';

/** Writes the configured active-items limit where the item triggers enforce it (LIMIT_REACHED). */
@Injectable()
export class LimitsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(LimitsService.name);

  constructor(
    private readonly prisma: PrismaClient,
    @Inject(INVENTORY_CONFIG) private readonly config: InventoryConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const max = this.config.INVENTORY_MAX_ITEMS_PER_SERVER;
    await this.prisma.inventorySettings.update({ where: { id: 1 }, data: { maxItemsPerServer: max } });
    this.logger.log(`active items per server: at most ${max}`);
  }
}
