import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL, queryRows } from '@trustno1/db';

@Injectable()
export class PartitionsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Runs ensure_partitions (idempotent, advisory-locked in SQL); returns the partitions it created. */
  async ensurePartitions(monthsAhead: number): Promise<string[]> {
    const rows = await queryRows<{ created: string }>(this.pool, 'SELECT ensure_partitions($1) AS created', [
      monthsAhead,
    ]);
    return rows.map((r) => r.created);
  }
}
