import { Client } from 'pg';
import { applyMigrations } from '@trustno1/db';
import { testInfra, uniqueToken, withDatabase } from './infra';

export interface TestDatabase {
  name: string;
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
  const url = withDatabase(infra.postgresAdminUrl, name);
  if (migrated && !template) await applyMigrations({ databaseUrl: url });
  return { name, url, drop: () => dropDatabase(name) };
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

/** Drops a database even while something still holds connections to it. */
export async function dropDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}
