// Ownership made physical (docs/architecture.md "Data ownership", docs/database.md "Roles and
// grants"): every table in its owner's schema, every app connecting as its own role that may
// change its own schema only, and another owner's tables reachable through its published
// functions only.
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@trustno1/testing';
import { appSearchPath, DATABASE_APPS, databaseRole, withDatabaseUser, withSearchPath } from './roles';

/** The ownership table of docs/architecture.md, schema by schema. */
const OWNED: Record<string, string[]> = {
  accounts: ['account_totp', 'accounts', 'game_servers', 'player_stats', 'players'],
  inventory: [
    'corpses',
    'inventories',
    'inventory_items',
    'inventory_settings',
    'item_ledger',
    'item_templates',
    'loot_fills',
    'loot_tables',
    'server_item_counts',
  ],
  world: [
    'structure_storage',
    'structures',
    'territories',
    'territory_resource_ledger',
    'vehicles',
    'world_chunks',
    'world_event_spawns',
    'world_events',
  ],
  combat: ['combat_logs', 'raid_logs', 'seen_hits'],
  market: [
    'claims',
    'market_listings',
    'price_candles',
    'price_runs',
    'price_stats',
    'trade_items',
    'trade_money',
    'trades',
    'transactions',
    'wallet_ledger',
    'wallets',
  ],
  factions: [
    'alert_deliveries',
    'faction_invites',
    'faction_ledger',
    'faction_members',
    'factions',
    'raid_alert_bases',
    'raid_reputation',
  ],
  seasons: ['leaderboard_archives', 'seasons'],
  platform: ['idempotency_keys', 'outbox', 'processed_events'],
  // The appliers' history, not the application's.
  public: ['_prisma_migrations', '_repeatable_migrations'],
};

/** SQLSTATE insufficient_privilege. */
const DENIED = { code: '42501' };

/** platform functions every service calls with its own rights (not SECURITY DEFINER on purpose). */
const INVOKER_HELPERS = ['platform.raise_error', 'platform.idempotency_claim', 'platform.idempotency_store'];

describe('ownership made physical', () => {
  let db: TestDatabase;
  let admin: Client;
  const roles = new Map<string, Client>();

  /** A session of the app's role, with the search_path its pool sets. */
  const as = async (app: (typeof DATABASE_APPS)[number]): Promise<Client> => {
    const existing = roles.get(app);
    if (existing) return existing;
    const url = withSearchPath(withDatabaseUser(db.url, databaseRole(app)), appSearchPath(app));
    const client = new Client({ connectionString: url });
    await client.connect();
    roles.set(app, client);
    return client;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    admin = new Client({ connectionString: db.url });
    await admin.connect();
  });

  afterAll(async () => {
    for (const client of roles.values()) await client.end();
    await admin?.end();
    await db?.drop();
  });

  it('every table lives in its owner schema, partitions beside their parent, nothing else in public', async () => {
    const { rows } = await admin.query<{ schema: string; name: string; parent: string | null }>(
      `SELECT n.nspname AS schema, c.relname AS name, pn.nspname AS parent
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_inherits i ON i.inhrelid = c.oid AND c.relispartition
         LEFT JOIN pg_class p ON p.oid = i.inhparent
         LEFT JOIN pg_namespace pn ON pn.oid = p.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\\_%'`,
    );
    const tables: Record<string, string[]> = {};
    for (const row of rows.filter((r) => r.parent === null)) (tables[row.schema] ??= []).push(row.name);
    for (const list of Object.values(tables)) list.sort();
    assert.deepEqual(tables, OWNED);
    const partitions = rows.filter((r) => r.parent !== null);
    assert.ok(partitions.length > 0);
    for (const part of partitions) assert.equal(part.schema, part.parent, `schema of partition ${part.name}`);
  });

  it('each role reads and writes its own schema', async () => {
    const inventory = await as('inventory');
    const id = randomUUID();
    await inventory.query(
      `INSERT INTO inventories (id, owner_id, owner_type, grid_width, grid_height) VALUES ($1, $1, 'container', 2, 2)`,
      [id],
    );
    const { rows } = await inventory.query('SELECT id FROM inventories WHERE id = $1', [id]);
    assert.equal(rows.length, 1);
    const accounts = await as('accounts');
    await accounts.query('SELECT count(*) FROM players');
    await accounts.query('SELECT count(*) FROM outbox');
  });

  it("accounts cannot write inventory's tables nor call its unpublished functions", async () => {
    const accounts = await as('accounts');
    await assert.rejects(
      accounts.query(
        `INSERT INTO inventory.inventories (id, owner_id, owner_type, grid_width, grid_height)
         VALUES ($1, $1, 'player', 2, 2)`,
        [randomUUID()],
      ),
      DENIED,
    );
    await assert.rejects(accounts.query('SELECT count(*) FROM inventory.inventory_items'), DENIED);
    await assert.rejects(
      accounts.query(`SELECT inventory.transfer_item($1, $1, 0, 0, NULL, NULL, NULL, 'move')`, [
        randomUUID(),
      ]),
      DENIED,
    );
    await assert.rejects(accounts.query('SELECT inventory.inventory_weight($1)', [randomUUID()]), DENIED);
  });

  it("accounts creates an inventory through inventory's published create_inventory", async () => {
    const accounts = await as('accounts');
    const id = randomUUID();
    const { rows } = await accounts.query<{ id: string }>(
      `SELECT inventory.create_inventory($1, $2, 'player', 6, 4, 50) AS id`,
      [id, randomUUID()],
    );
    assert.equal(rows[0].id, id);
    const created = await admin.query(
      'SELECT owner_type, grid_width FROM inventory.inventories WHERE id = $1',
      [id],
    );
    assert.deepEqual(created.rows, [{ owner_type: 'player', grid_width: 6 }]);
  });

  it('a service reads only the rows of other owners it was granted, and writes none', async () => {
    const world = await as('world');
    await world.query('SELECT id, server_id, faction_id FROM accounts.players LIMIT 1');
    await world.query('SELECT id FROM factions.factions LIMIT 1');
    await assert.rejects(world.query('SELECT count(*) FROM accounts.accounts'), DENIED);
    await assert.rejects(world.query('UPDATE accounts.players SET is_online = false WHERE false'), DENIED);
    await assert.rejects(world.query('SELECT count(*) FROM market.wallets'), DENIED);
    const gateway = await as('gateway');
    await gateway.query('SELECT 1');
    await assert.rejects(gateway.query('SELECT count(*) FROM accounts.accounts'), DENIED);
    await assert.rejects(gateway.query('SELECT count(*) FROM platform.outbox'), DENIED);
  });

  it("the worker runs platform's partition functions but changes no owner's table", async () => {
    const worker = await as('worker');
    await worker.query('SELECT ensure_partitions(1)');
    await assert.rejects(worker.query('DELETE FROM combat.combat_logs WHERE false'), DENIED);
    await assert.rejects(worker.query('SELECT count(*) FROM inventory.inventories'), DENIED);
    await assert.rejects(
      worker.query('SELECT platform.ensure_range_partition($1, $2, now(), now())', [
        'combat.combat_logs',
        'x',
      ]),
      DENIED,
    );
  });

  it('PUBLIC runs no function of an owner; whoever else may run one runs a SECURITY DEFINER with a pinned search_path', async () => {
    const { rows } = await admin.query<{
      fn: string;
      schema: string;
      grantees: string[];
      definer: boolean;
      config: string[] | null;
    }>(
      `SELECT format('%I.%I', n.nspname, p.proname) AS fn, p.prosecdef AS definer, p.proconfig AS config,
              ARRAY(SELECT coalesce(r.rolname::text, 'PUBLIC') FROM aclexplode(p.proacl) a
                      LEFT JOIN pg_roles r ON r.oid = a.grantee
                     WHERE a.privilege_type = 'EXECUTE' AND a.grantee <> p.proowner) AS grantees,
              n.nspname AS schema
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname IN ('accounts', 'inventory', 'world', 'combat', 'market', 'factions', 'seasons', 'platform')`,
    );
    assert.ok(rows.length > 50);
    const published: string[] = [];
    for (const row of rows) {
      assert.ok(!row.grantees.includes('PUBLIC'), `${row.fn} is executable by PUBLIC`);
      const others = row.grantees.filter((role) => role !== `tn1_${row.schema}`);
      // Run as the calling service's role, with no rights it lacks: raise_error only raises, and
      // the idempotency pair touches platform.idempotency_keys, which every service role writes.
      if (others.length === 0 || INVOKER_HELPERS.includes(row.fn)) continue;
      published.push(row.fn);
      assert.ok(row.definer, `${row.fn} is granted to ${others.join(', ')} but is not SECURITY DEFINER`);
      assert.ok(
        row.config?.some((setting) => setting.startsWith('search_path=')),
        `${row.fn} is SECURITY DEFINER without a pinned search_path`,
      );
    }
    assert.deepEqual(published.sort(), [
      'combat.purge_seen_hits',
      'factions.member_has',
      'inventory.create_corpse',
      'inventory.create_inventory',
      'inventory.delete_inventory',
      'inventory.grant_items',
      'inventory.items_taken',
      'inventory.market_deliver_item',
      'inventory.market_escrow_item',
      'inventory.market_move_to_claim',
      'inventory.spill_inventory',
      'inventory.take_items',
      'inventory.verify_item_ledger',
      'market.faction_bank_move',
      'market.open_wallets',
      'market.verify_wallet_ledger',
      'platform.drop_archived_partition',
      'platform.ensure_partitions',
    ]);
  });

  it('each role finds its own schema first on its search_path', async () => {
    for (const app of DATABASE_APPS) {
      const { rows } = await admin.query<{ config: string[] | null }>(
        `SELECT s.setconfig AS config FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole
          WHERE r.rolname = $1 AND s.setdatabase = 0`,
        [databaseRole(app)],
      );
      assert.deepEqual(rows[0]?.config, [`search_path=${appSearchPath(app)}`], databaseRole(app));
    }
  });
});
