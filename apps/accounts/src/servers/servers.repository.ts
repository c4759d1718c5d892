import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { AuthenticatedServer } from '@trustno1/contracts';
import { PG_POOL } from '@trustno1/db';

@Injectable()
export class ServersRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** The live (not revoked) server whose key has this hash. */
  async findActiveByKeyHash(apiKeyHash: string): Promise<AuthenticatedServer | null> {
    const { rows } = await this.pool.query<{ id: string; region: string; max_players: number }>(
      `SELECT id, region, max_players FROM game_servers WHERE api_key_hash = $1 AND revoked_at IS NULL`,
      [apiKeyHash],
    );
    const row = rows[0];
    return row ? { serverId: row.id, region: row.region, maxPlayers: row.max_players } : null;
  }
}
