import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';

type Db = Pool | PoolClient;

const BODY_PARTS = ['head', 'thorax', 'stomach', 'left_arm', 'right_arm', 'left_leg', 'right_leg'] as const;

let counter = 0;
/** Unique, valid names across parallel tests (usernames allow [A-Za-z0-9_]{3,32}). */
function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}_${randomBytes(4).toString('hex')}${counter}`.slice(0, 32);
}

export interface AccountRow {
  id: string;
  username: string;
  email: string;
}
export interface CharacterRow {
  id: string;
  accountId: string;
  characterName: string;
  inventoryId: string;
}
export interface InventoryRow {
  id: string;
  ownerId: string;
  ownerType: string;
  gridWidth: number;
  gridHeight: number;
}
export interface GameServerRow {
  id: string;
  apiKey: string;
  region: string;
  maxPlayers: number;
}

/**
 * Rows for tests, one line each: `const f = factories(pool); const a = await f.account();`.
 * They write straight to the tables (a test of a service uses the service to create what it tests).
 */
export function factories(db: Db) {
  const account = async (over: Partial<AccountRow> = {}): Promise<AccountRow> => {
    const username = over.username ?? uniqueName('user');
    const row = {
      id: over.id ?? randomUUID(),
      username,
      email: over.email ?? `${username.toLowerCase()}@example.test`,
    };
    await db.query(`INSERT INTO accounts (id, username, email, password_hash) VALUES ($1, $2, $3, $4)`, [
      row.id,
      row.username,
      row.email,
      'factory-account-without-password',
    ]);
    return row;
  };

  const inventory = async (over: Partial<InventoryRow> = {}): Promise<InventoryRow> => {
    const row = {
      id: over.id ?? randomUUID(),
      ownerId: over.ownerId ?? randomUUID(),
      ownerType: over.ownerType ?? 'container',
      gridWidth: over.gridWidth ?? 10,
      gridHeight: over.gridHeight ?? 6,
    };
    await db.query(
      `INSERT INTO inventories (id, owner_id, owner_type, grid_width, grid_height) VALUES ($1, $2, $3::inventory_owner_type, $4, $5)`,
      [row.id, row.ownerId, row.ownerType, row.gridWidth, row.gridHeight],
    );
    return row;
  };

  /** A character with its stats row, zero wallets and player inventory, like character creation. */
  const character = async (over: Partial<Omit<CharacterRow, 'inventoryId'>> = {}): Promise<CharacterRow> => {
    const accountId = over.accountId ?? (await account()).id;
    const id = over.id ?? randomUUID();
    const characterName = over.characterName ?? uniqueName('char');
    const health = Object.fromEntries(BODY_PARTS.map((part) => [part, 100]));
    await db.query(
      `INSERT INTO players (id, account_id, character_name, position, rotation, chunk_x, chunk_z, health, stats)
       VALUES ($1, $2, $3, '{"x":0,"y":0,"z":0}', '{"x":0,"y":0,"z":0,"w":1}', 0, 0, $4, '{}')`,
      [id, accountId, characterName, JSON.stringify(health)],
    );
    await db.query(`INSERT INTO player_stats (player_id) VALUES ($1)`, [id]);
    await db.query(
      `INSERT INTO wallets (player_id, currency) SELECT $1, c FROM unnest(enum_range(NULL::currency_type)) AS c`,
      [id],
    );
    const inv = await inventory({ ownerId: id, ownerType: 'player', gridWidth: 10, gridHeight: 6 });
    return { id, accountId, characterName, inventoryId: inv.id };
  };

  /** A registered game server; `apiKey` is the only copy of the key, as at registration. */
  const gameServer = async (over: Partial<Omit<GameServerRow, 'apiKey'>> = {}): Promise<GameServerRow> => {
    const apiKey = randomBytes(32).toString('base64url');
    const row = {
      id: over.id ?? randomUUID(),
      apiKey,
      region: over.region ?? 'eu-west',
      maxPlayers: over.maxPlayers ?? 100,
    };
    await db.query(
      `INSERT INTO game_servers (id, name, region, api_key_hash, max_players) VALUES ($1, $2, $3, $4, $5)`,
      [
        row.id,
        uniqueName('server'),
        row.region,
        createHash('sha256').update(apiKey).digest('hex'),
        row.maxPlayers,
      ],
    );
    return row;
  };

  /** An item template of a test catalog (the real catalog comes from the catalog file). */
  const itemTemplate = async (
    over: Partial<{ id: string; width: number; height: number; maxStack: number; weight: number }> = {},
  ): Promise<{ id: string }> => {
    const id = over.id ?? uniqueName('tpl');
    const maxStack = over.maxStack ?? 1;
    await db.query(
      `INSERT INTO item_templates (id, name, category, width, height, max_stack, weight, stackable, catalog_version)
       VALUES ($1, $1, 'test', $2, $3, $4, $5, $6, 'test') ON CONFLICT (id) DO NOTHING`,
      [id, over.width ?? 1, over.height ?? 1, maxStack, over.weight ?? 0.1, maxStack > 1],
    );
    return { id };
  };

  /**
   * A character joined to `serverId` (the columns a join writes) holding `items` (template,
   * quantity), each added through inventory's add_item with its ledger row.
   */
  const joinedCharacter = async (
    serverId: string,
    items: [string, number][] = [],
    over: Partial<Omit<CharacterRow, 'inventoryId'>> = {},
  ): Promise<CharacterRow> => {
    const c = await character(over);
    await db.query(`UPDATE players SET server_id = $2, is_online = true WHERE id = $1`, [c.id, serverId]);
    for (const [template, quantity] of items) {
      await db.query(`SELECT add_item($1, $2, $3, NULL, NULL, NULL, NULL, NULL, 'loot', 'test')`, [
        c.inventoryId,
        template,
        quantity,
      ]);
    }
    return c;
  };

  return { account, character, joinedCharacter, inventory, gameServer, itemTemplate };
}

export type Factories = ReturnType<typeof factories>;
