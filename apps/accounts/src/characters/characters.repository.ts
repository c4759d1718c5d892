import { Injectable } from '@nestjs/common';
import type { CharacterView, Health, Position, Rotation } from '@trustno1/contracts';
import { PrismaClient, sqlErrorOf, type PrismaDb } from '@trustno1/db';

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

/** A `players` row as the view needs it, with the field names of schema.prisma. */
interface CharacterRow {
  id: string;
  accountId: string | null;
  characterName: string;
  position: unknown;
  rotation: unknown;
  chunkX: number;
  chunkZ: number;
  health: unknown;
  createdAt: Date | null;
}

const CHARACTER_FIELDS = {
  id: true,
  accountId: true,
  characterName: true,
  position: true,
  rotation: true,
  chunkX: true,
  chunkZ: true,
  health: true,
  createdAt: true,
} as const;

const NAME_CONSTRAINTS = new Set(['idx_players_character_name_lower', 'players_character_name_key']);

@Injectable()
export class CharactersRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Locks the account row for the rest of the transaction, so creations of one account run one
   * after the other and the character limit holds under races. False when there is no account.
   */
  async lockAccount(tx: PrismaDb, accountId: string): Promise<boolean> {
    // NO KEY UPDATE: excludes other creations of this account, not foreign-key checks elsewhere.
    const locked = await tx.$executeRaw`SELECT 1 FROM accounts WHERE id = ${accountId} FOR NO KEY UPDATE`;
    return locked === 1;
  }

  /**
   * Inserts the character with its stats, then its wallets and inventory: two statements.
   *
   * The first inserts nothing when the account already has `limit` characters; its count runs
   * after the account lock was taken (a separate statement), so in READ COMMITTED it sees every
   * character committed by a competing creation. The second asks the other owners for what they
   * keep for a new character, through their published functions (docs/architecture.md "Data
   * ownership"): a zero wallet per currency and its player inventory. It is a statement of its
   * own, after the character's, so the rows it references are visible.
   */
  async insert(tx: PrismaDb, c: NewCharacter): Promise<InsertOutcome> {
    let rows: CharacterRow[];
    try {
      rows = await tx.$queryRaw<CharacterRow[]>`
        WITH room AS (
          SELECT 1 FROM (SELECT count(*) AS n FROM players WHERE account_id = ${c.accountId}) c
           WHERE c.n < ${c.limit}
        ), player AS (
          INSERT INTO players (id, account_id, character_name, position, rotation, chunk_x, chunk_z, health, stats)
          SELECT ${c.id}, ${c.accountId}, ${c.name}, ${JSON.stringify(c.position)}::jsonb,
                 ${JSON.stringify(c.rotation)}::jsonb, ${c.chunkX}, ${c.chunkZ},
                 ${JSON.stringify(c.health)}::jsonb, ${JSON.stringify(c.stats)}::jsonb
            FROM room
          RETURNING id, account_id, character_name, position, rotation, chunk_x, chunk_z, health, created_at
        ), stats AS (
          INSERT INTO player_stats (player_id) SELECT id FROM player
        )
        SELECT id, account_id AS "accountId", character_name AS "characterName", position, rotation,
               chunk_x AS "chunkX", chunk_z AS "chunkZ", health, created_at AS "createdAt"
          FROM player`;
    } catch (error) {
      if (isNameConflict(error)) return { kind: 'name_taken' };
      throw error;
    }
    if (!rows[0]) return { kind: 'limit' };
    const { gridWidth, gridHeight, maxWeight } = c.inventory;
    // $executeRaw: the functions' results are not needed (open_wallets returns void).
    await tx.$executeRaw`
      SELECT market.open_wallets(${c.id}),
             inventory.create_inventory(${c.inventoryId}, ${c.id}, 'player', ${gridWidth},
                                        ${gridHeight}, ${maxWeight})`;
    return { kind: 'created', character: toView(rows[0]) };
  }

  /** The account's characters, oldest first. */
  async listByAccount(accountId: string): Promise<CharacterView[]> {
    const rows = await this.prisma.player.findMany({
      where: { accountId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: CHARACTER_FIELDS,
    });
    return rows.map(toView);
  }
}

function isNameConflict(error: unknown): boolean {
  const sql = sqlErrorOf(error);
  return sql?.code === '23505' && NAME_CONSTRAINTS.has(sql.constraint ?? '');
}

function toView(row: CharacterRow): CharacterView {
  return {
    id: row.id,
    characterName: row.characterName,
    // Characters are created for an account, and the column is only nullable as in the seed.
    accountId: row.accountId!,
    position: row.position as Position,
    rotation: row.rotation as Rotation,
    chunkX: row.chunkX,
    chunkZ: row.chunkZ,
    health: row.health as Health,
    createdAt: row.createdAt!.toISOString(),
  };
}
