import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { CatalogItemView } from '@trustno1/contracts';
import { PG_POOL } from '@trustno1/db';

@Injectable()
export class CatalogRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Every template, retired ones included: items in the world may still reference them. */
  async list(): Promise<CatalogItemView[]> {
    const { rows } = await this.pool.query<CatalogItemView>(
      `SELECT id, name, category, width, height, max_stack AS "maxStack", weight,
              max_durability AS "maxDurability", stackable
         FROM item_templates ORDER BY id`,
    );
    return rows;
  }
}
