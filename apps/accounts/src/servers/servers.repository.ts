import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { AuthenticatedServer } from '@trustno1/contracts';
import { PG_POOL } from '@trustno1/db';

export interface NewServer {
  id: string;
  name: string;
  region: string;
  apiKeyHash: string;
  maxPlayers: number;
}

/** What a heartbeat needs to know about a registered, not revoked server. */
export interface ServerRegistration {
  id: string;
  name: string;
  region: string;
  maxPlayers: number;
}

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

  async insert(tx: PoolClient, server: NewServer): Promise<void> {
    await tx.query(
      `INSERT INTO game_servers (id, name, region, api_key_hash, max_players) VALUES ($1, $2, $3, $4, $5)`,
      [server.id, server.name, server.region, server.apiKeyHash, server.maxPlayers],
    );
  }

  /**
   * Marks the server revoked (keeping the first revocation time) and returns its region and key
   * hash, or null
   * when no such server exists. Revoking twice is not an error: DELETE is idempotent.
   */
  async revoke(id: string): Promise<{ region: string; apiKeyHash: string } | null> {
    const { rows } = await this.pool.query<{ region: string; api_key_hash: string }>(
      `UPDATE game_servers SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1
       RETURNING region, api_key_hash`,
      [id],
    );
    return rows[0] ? { region: rows[0].region, apiKeyHash: rows[0].api_key_hash } : null;
  }

  async findActive(id: string): Promise<ServerRegistration | null> {
    const { rows } = await this.pool.query<{ id: string; name: string; region: string; max_players: number }>(
      `SELECT id, name, region, max_players FROM game_servers WHERE id = $1 AND revoked_at IS NULL`,
      [id],
    );
    const row = rows[0];
    return row ? { id: row.id, name: row.name, region: row.region, maxPlayers: row.max_players } : null;
  }

  /** The subset of `ids` that are registered and not revoked. */
  async activeIds(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT id FROM game_servers WHERE id = ANY($1::uuid[]) AND revoked_at IS NULL`,
      [ids],
    );
    return new Set(rows.map((row) => row.id));
  }
}
