import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { CharacterView, Health, Position, Rotation } from '@trustno1/contracts';
import { PG_POOL } from '@trustno1/db';

/** Everything a new character starts with, decided by the service. */
export interface NewCharacter {
  id: string;
  accountId: string;
  name: string;
  position: Position;
  rotation: Rotation;
  chunkX: number;
  chunkZ: number;
  health: Health;
  stats: Record<string, unknown>;
  inventoryId: string;
  inventory: { gridWidth: number; gridHeight: number; maxWeight: number };
  limit: number;
}

export type InsertOutcome =
  { kind: 'created'; character: CharacterView } | { kind: 'limit' } | { kind: 'name_taken' };

interface CharacterRow {
  id: string;
  account_id: string;
  character_name: string;
  position: Position;
  rotation: Rotation;
  chunk_x: number;
  chunk_z: number;
  health: Health;
  created_at: Date;
}

const COLUMNS = 'id, account_id, character_name, position, rotation, chunk_x, chunk_z, health, created_at';

// The character and its stats row, in one statement. Nothing is inserted when the account already
// has `limit` characters; the count runs after the account lock was taken (a separate statement),
// so in READ COMMITTED it sees every character committed by a competing creation.
const INSERT_SQL = `
  WITH room AS (
    SELECT 1 FROM (SELECT count(*) AS n FROM players WHERE account_id = $2) c WHERE c.n < $10
  ), player AS (
    INSERT INTO players (id, account_id, character_name, position, rotation, chunk_x, chunk_z, health, stats)
    SELECT $1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8::jsonb, $9::jsonb FROM room
    RETURNING ${COLUMNS}
  ), stats AS (
    INSERT INTO player_stats (player_id) SELECT id FROM player
  )
  SELECT ${COLUMNS} FROM player`;

// What other owners keep for a new character, through their published functions
// (docs/architecture.md "Data ownership"): a zero wallet per currency and its player inventory.
// A statement of its own, after the character's, so the rows it references are visible.
const BELONGINGS_SQL = `
  SELECT market.open_wallets($1), inventory.create_inventory($2, $1, 'player', $3, $4, $5)`;

const NAME_CONSTRAINTS = new Set(['idx_players_character_name_lower', 'players_character_name_key']);

@Injectable()
export class CharactersRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * Locks the account row for the rest of the transaction, so creations of one account run one
   * after the other and the character limit holds under races. False when there is no account.
   */
  async lockAccount(tx: PoolClient, accountId: string): Promise<boolean> {
    // NO KEY UPDATE: excludes other creations of this account, not foreign-key checks elsewhere.
    const { rowCount } = await tx.query(`SELECT 1 FROM accounts WHERE id = $1 FOR NO KEY UPDATE`, [
      accountId,
    ]);
    return rowCount === 1;
  }

  /** Inserts the character with its stats, wallets and inventory (INSERT_SQL, BELONGINGS_SQL). */
  async insert(tx: PoolClient, c: NewCharacter): Promise<InsertOutcome> {
    const params = [
      c.id,
      c.accountId,
      c.name,
      JSON.stringify(c.position),
      JSON.stringify(c.rotation),
      c.chunkX,
      c.chunkZ,
      JSON.stringify(c.health),
      JSON.stringify(c.stats),
      c.limit,
    ];
    let rows: CharacterRow[];
    try {
      ({ rows } = await tx.query<CharacterRow>(INSERT_SQL, params));
    } catch (error) {
      if (isNameConflict(error)) return { kind: 'name_taken' };
      throw error;
    }
    if (!rows[0]) return { kind: 'limit' };
    await tx.query(BELONGINGS_SQL, [
      c.id,
      c.inventoryId,
      c.inventory.gridWidth,
      c.inventory.gridHeight,
      c.inventory.maxWeight,
    ]);
    return { kind: 'created', character: toView(rows[0]) };
  }

  /** The account's characters, oldest first. */
  async listByAccount(accountId: string): Promise<CharacterView[]> {
    const { rows } = await this.pool.query<CharacterRow>(
      `SELECT ${COLUMNS} FROM players WHERE account_id = $1 ORDER BY created_at, id`,
      [accountId],
    );
    return rows.map(toView);
  }
}

function isNameConflict(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string };
  return e?.code === '23505' && NAME_CONSTRAINTS.has(e.constraint ?? '');
}

function toView(row: CharacterRow): CharacterView {
  return {
    id: row.id,
    characterName: row.character_name,
    accountId: row.account_id,
    position: row.position,
    rotation: row.rotation,
    chunkX: row.chunk_x,
    chunkZ: row.chunk_z,
    health: row.health,
    createdAt: row.created_at.toISOString(),
  };
}
