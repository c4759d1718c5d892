import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@trustno1/db';

export interface StoredTerrain {
  x: number;
  z: number;
  terrain: Buffer;
}

@Injectable()
export class PathsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** The stored terrain of the chunks in a range (inclusive); chunks never loaded are absent. */
  async terrain(minCx: number, minCz: number, maxCx: number, maxCz: number): Promise<StoredTerrain[]> {
    const { rows } = await this.pool.query<{ x: number; z: number; terrain_data: Buffer }>(
      `SELECT x, z, terrain_data FROM world_chunks
        WHERE x BETWEEN $1 AND $3 AND z BETWEEN $2 AND $4 AND terrain_data IS NOT NULL`,
      [minCx, minCz, maxCx, maxCz],
    );
    return rows.map((r) => ({ x: r.x, z: r.z, terrain: r.terrain_data }));
  }

  /** Positions of the structures standing in a chunk range (inclusive). */
  async structurePositions(
    minCx: number,
    minCz: number,
    maxCx: number,
    maxCz: number,
  ): Promise<{ x: number; z: number }[]> {
    const { rows } = await this.pool.query<{ x: number; z: number }>(
      `SELECT (position->>'x')::float8 AS x, (position->>'z')::float8 AS z FROM structures
        WHERE chunk_x BETWEEN $1 AND $3 AND chunk_z BETWEEN $2 AND $4`,
      [minCx, minCz, maxCx, maxCz],
    );
    return rows;
  }
}
