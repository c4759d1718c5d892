import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@trustno1/db';
import { INVENTORY_CONFIG, type InventoryConfig } from '../inventory-config';

/** Writes the configured active-items limit where the item triggers enforce it (LIMIT_REACHED). */
@Injectable()
export class LimitsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(LimitsService.name);

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(INVENTORY_CONFIG) private readonly config: InventoryConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const max = this.config.INVENTORY_MAX_ITEMS_PER_SERVER;
    await this.pool.query(`UPDATE inventory_settings SET max_items_per_server = $1 WHERE id = 1`, [max]);
    this.logger.log(`active items per server: at most ${max}`);
  }
}
