import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { PG_POOL, runIdempotent, type IdempotencyClaim, type IdempotentOutcome } from '@trustno1/db';

/** A registered, unrevoked server and its seats by registration (min(max_players, 1000)). */
export interface RegisteredServer {
  id: string;
  region: string;
  capacity: number;
}

@Injectable()
export class MatchmakingRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Runs `work` in one transaction with the caller's idempotency record (see runIdempotent). */
  idempotent<T>(
    claim: IdempotencyClaim | undefined,
    work: (tx: PoolClient) => Promise<T>,
  ): Promise<IdempotentOutcome<T>> {
    return runIdempotent(this.pool, claim, work);
  }

  /** The account owning a character; undefined for an unknown character. */
  async characterOwner(characterId: string): Promise<string | null | undefined> {
    const { rows } = await this.pool.query<{ account_id: string | null }>(
      `SELECT account_id FROM players WHERE id = $1`,
      [characterId],
    );
    return rows[0]?.account_id;
  }

  async registeredServers(): Promise<RegisteredServer[]> {
    const { rows } = await this.pool.query<{ id: string; region: string; capacity: number }>(
      `SELECT id, region, least(max_players, 1000) AS capacity FROM game_servers WHERE revoked_at IS NULL`,
    );
    return rows;
  }

  /** Characters joined to each server (lingering ones hold their seat too). */
  async seatsTaken(serverIds: string[]): Promise<Map<string, number>> {
    if (serverIds.length === 0) return new Map();
    const { rows } = await this.pool.query<{ server_id: string; taken: number }>(
      `SELECT server_id, count(*)::int AS taken FROM players WHERE server_id = ANY($1::uuid[]) GROUP BY server_id`,
      [serverIds],
    );
    return new Map(rows.map((r) => [r.server_id, r.taken]));
  }
}
