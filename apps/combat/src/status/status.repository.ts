import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@trustno1/db';

export interface StatusRow {
  service: string;
  schema_name: string;
  functions: number;
  database_time: Date;
}

/** The only place of the feature that speaks SQL: one call of the owner's published function. */
@Injectable()
export class StatusRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async read(): Promise<StatusRow> {
    const { rows } = await this.pool.query<StatusRow>(
      'SELECT service, schema_name, functions, database_time FROM combat.status()',
    );
    return rows[0];
  }
}
