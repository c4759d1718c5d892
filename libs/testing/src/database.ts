import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { testInfra, uniqueToken, withDatabase } from './infra';

export interface TestDatabase {
  name: string;
  /**
   * The migrator's (admin) URL of the database, whose sessions see every owner's schema, so a
   * test reads and sets up rows across owners with unqualified names. Apps started with appEnv
   * connect as their own role instead.
   */
  url: string;
  drop(): Promise<void>;
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testInfra().postgresAdminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A database of this test file's own: cloned from the runner's migrated template when there is
 * one (fast), otherwise created empty and migrated (when a spec file is run on its own).
 */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const infra = testInfra();
  const name = `tn1_t_${uniqueToken()}`;
  const migrated = options.migrated ?? true;
  const template = migrated ? infra.templateDatabase : undefined;
  await admin((c) => createWithRetry(c, `CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`));
  const url = withAllSchemas(withDatabase(infra.postgresAdminUrl, name));
  if (migrated && !template) migrate(url);
  return { name, url, drop: () => dropDatabase(name) };
}

// libs/db's DATABASE_SCHEMAS; not imported, for the reason given at migrate() below.
const ALL_SCHEMAS = 'accounts,inventory,world,combat,market,factions,platform,public';

function withAllSchemas(url: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${ALL_SCHEMAS}`);
  return parsed.toString();
}

/**
 * Migrates through the migration CLI rather than importing libs/db, which itself tests with
 * this lib (a dependency cycle otherwise). Only used when a spec runs without Jest's global setup.
 */
function migrate(url: string): void {
  const root = join(__dirname, '../../..');
  const result = spawnSync(process.execPath, ['-r', '@swc-node/register', join(root, 'tools/migrate.ts')], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`migrating ${url} failed:\n${result.stderr}`);
}

/** Cloning fails while another session briefly touches the template (SQLSTATE 55006): retry. */
async function createWithRetry(client: Client, statement: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.query(statement);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

/**
 * Drops a database even while something still holds connections to it. Pools that are closing
 * get up to 3 s to let go first, so a forced drop does not hit their idle clients mid-teardown.
 */
export async function dropDatabase(name: string): Promise<void> {
  await admin(async (c) => {
    for (let waited = 0; waited < 3_000; waited += 100) {
      const { rows } = await c.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [name],
      );
      if (rows[0].n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}
