import assert from 'node:assert/strict';
import { createTestDatabase, testInfra } from '@trustno1/testing';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, it } from '@jest/globals';
import { Client } from 'pg';
import {
  applyMigrations,
  checksumMatches,
  createDatabaseIfMissing,
  MIGRATION_LOCK_KEY,
  MigrationFailedError,
  MigrationHistoryError,
  migrationChecksum,
} from './migrator';

const REPO_MIGRATIONS = resolve(__dirname, '../../../../prisma/migrations');

const databases: { drop: () => Promise<void> }[] = [];
const tempDirs: string[] = [];

async function freshDatabase(): Promise<string> {
  const database = await createTestDatabase({ migrated: false });
  databases.push(database);
  return database.url;
}

function tempMigrations(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tn1-migrations-'));
  tempDirs.push(dir);
  for (const [name, sql] of Object.entries(files)) writeMigration(dir, name, sql);
  return dir;
}

function copyOfRepoMigrations(): string {
  const dir = tempMigrations({});
  cpSync(REPO_MIGRATIONS, dir, { recursive: true });
  return dir;
}

function writeMigration(dir: string, name: string, sql: string): void {
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(join(dir, name, 'migration.sql'), sql);
}

function repoMigrationNames(): string[] {
  // Spread into an array of the spec's realm: Jest runs it in a vm context, and node:fs answers with
  // arrays from outside it that deepStrictEqual (it compares prototypes) never finds equal.
  return [...readdirSync(REPO_MIGRATIONS, { withFileTypes: true })]
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

async function query<T = Record<string, unknown>>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

interface HistoryRow {
  id: string;
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
  logs: string | null;
}

function history(url: string): Promise<HistoryRow[]> {
  return query<HistoryRow>(url, 'SELECT * FROM _prisma_migrations ORDER BY migration_name, started_at');
}

async function tableExists(url: string, table: string): Promise<boolean> {
  const [row] = await query<{ found: string | null }>(url, 'SELECT to_regclass($1)::text AS found', [table]);
  return row.found !== null;
}

afterAll(async () => {
  await Promise.all(databases.map((database) => database.drop()));
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('migration checksums', () => {
  it('are what prisma migrate deploy records: lowercase hex SHA-256, zero-padded', () => {
    // The vector from prisma-engines' own checksum test.
    assert.equal(
      migrationChecksum('hello'),
      '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
    );
  });

  it('match across LF/CRLF conversions and old unpadded records, like Prisma', () => {
    const script = 'CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n';
    const crlf = script.replace(/\n/g, '\r\n');
    assert.ok(checksumMatches(crlf, migrationChecksum(script)));
    assert.ok(checksumMatches(script, migrationChecksum(crlf)));
    const unpadded = Array.from(createHash('sha256').update(script).digest(), (b) => b.toString(16)).join('');
    assert.ok(unpadded.length < 64, 'this script happens to have bytes below 0x10');
    assert.ok(checksumMatches(script, unpadded));
    assert.ok(!checksumMatches(script + ' ', migrationChecksum(script)));
    assert.ok(!checksumMatches(script, migrationChecksum('CREATE TABLE a (id int);\n')));
  });
});

describe('applyMigrations', () => {
  it('applies every migration on an empty database and records Prisma checksums', async () => {
    const url = await freshDatabase();
    const result = await applyMigrations({ databaseUrl: url, migrationsDir: REPO_MIGRATIONS });
    assert.deepEqual(result, { applied: repoMigrationNames(), skipped: [] });

    const rows = await history(url);
    assert.deepEqual(
      rows.map((r) => r.migration_name),
      repoMigrationNames(),
    );
    for (const row of rows) {
      const bytes = readFileSync(join(REPO_MIGRATIONS, row.migration_name, 'migration.sql'));
      assert.equal(row.checksum, createHash('sha256').update(bytes).digest('hex'), row.migration_name);
      assert.ok(row.finished_at instanceof Date, `${row.migration_name} finished`);
      assert.equal(row.rolled_back_at, null);
      assert.equal(row.applied_steps_count, 1);
      assert.match(row.id, /^[0-9a-f-]{36}$/);
    }
  });

  it('creates _prisma_migrations with exactly the columns Prisma uses', async () => {
    const url = await freshDatabase();
    await applyMigrations({ databaseUrl: url, migrationsDir: tempMigrations({ '1_a': 'SELECT 1;' }) });
    const columns = await query(
      url,
      `SELECT column_name, data_type, character_maximum_length AS len, is_nullable, column_default
         FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    assert.deepEqual(columns, [
      { column_name: 'id', data_type: 'character varying', len: 36, is_nullable: 'NO', column_default: null },
      {
        column_name: 'checksum',
        data_type: 'character varying',
        len: 64,
        is_nullable: 'NO',
        column_default: null,
      },
      {
        column_name: 'finished_at',
        data_type: 'timestamp with time zone',
        len: null,
        is_nullable: 'YES',
        column_default: null,
      },
      {
        column_name: 'migration_name',
        data_type: 'character varying',
        len: 255,
        is_nullable: 'NO',
        column_default: null,
      },
      { column_name: 'logs', data_type: 'text', len: null, is_nullable: 'YES', column_default: null },
      {
        column_name: 'rolled_back_at',
        data_type: 'timestamp with time zone',
        len: null,
        is_nullable: 'YES',
        column_default: null,
      },
      {
        column_name: 'started_at',
        data_type: 'timestamp with time zone',
        len: null,
        is_nullable: 'NO',
        column_default: 'now()',
      },
      {
        column_name: 'applied_steps_count',
        data_type: 'integer',
        len: null,
        is_nullable: 'NO',
        column_default: '0',
      },
    ]);
  });

  it('is a no-op the second time', async () => {
    const url = await freshDatabase();
    await applyMigrations({ databaseUrl: url, migrationsDir: REPO_MIGRATIONS });
    const before = await history(url);
    const result = await applyMigrations({ databaseUrl: url, migrationsDir: REPO_MIGRATIONS });
    assert.deepEqual(result, { applied: [], skipped: repoMigrationNames() });
    assert.deepEqual(await history(url), before);
  });

  it('applies only the new migration when one is added', async () => {
    const url = await freshDatabase();
    const dir = tempMigrations({ '1_a': 'CREATE TABLE a (id int);' });
    await applyMigrations({ databaseUrl: url, migrationsDir: dir });
    writeMigration(dir, '2_b', 'CREATE TABLE b (id int);');
    assert.deepEqual(await applyMigrations({ databaseUrl: url, migrationsDir: dir }), {
      applied: ['2_b'],
      skipped: ['1_a'],
    });
  });

  it('refuses, naming it, a migration changed after it was applied', async () => {
    const url = await freshDatabase();
    const dir = copyOfRepoMigrations();
    await applyMigrations({ databaseUrl: url, migrationsDir: dir });
    const edited = '20261125000400_world';
    writeFileSync(
      join(dir, edited, 'migration.sql'),
      readFileSync(join(dir, edited, 'migration.sql'), 'utf8') + '\n-- edited\n',
    );
    await assert.rejects(applyMigrations({ databaseUrl: url, migrationsDir: dir }), (error: Error) => {
      assert.ok(error instanceof MigrationHistoryError);
      assert.equal(error.migrationName, edited);
      assert.match(error.message, new RegExp(`${edited} was modified after it was applied`));
      return true;
    });
  });

  it('accepts an applied migration whose line endings git converted', async () => {
    const url = await freshDatabase();
    const dir = tempMigrations({ '1_a': 'CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n' });
    await applyMigrations({ databaseUrl: url, migrationsDir: dir });
    writeMigration(dir, '1_a', 'CREATE TABLE a (id int);\r\nCREATE TABLE b (id int);\r\n');
    assert.deepEqual(await applyMigrations({ databaseUrl: url, migrationsDir: dir }), {
      applied: [],
      skipped: ['1_a'],
    });
  });

  it('refuses, naming it, an applied migration whose directory is missing', async () => {
    const url = await freshDatabase();
    const dir = tempMigrations({ '1_a': 'CREATE TABLE a (id int);', '2_b': 'CREATE TABLE b (id int);' });
    await applyMigrations({ databaseUrl: url, migrationsDir: dir });
    rmSync(join(dir, '1_a'), { recursive: true });
    await assert.rejects(
      applyMigrations({ databaseUrl: url, migrationsDir: dir }),
      /Migration 1_a is recorded as applied but its directory is missing/,
    );
  });

  it('refuses, naming it, a recorded migration that failed and was never resolved', async () => {
    const url = await freshDatabase();
    const dir = tempMigrations({ '1_a': 'CREATE TABLE a (id int);', '2_b': 'CREATE TABLE b (id int);' });
    await applyMigrations({ databaseUrl: url, migrationsDir: dir });
    // What `prisma migrate deploy` leaves behind when a script fails half way.
    await query(
      url,
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, logs, applied_steps_count)
       VALUES (gen_random_uuid()::text, $1, '3_c', 'syntax error at or near "CRATE"', 0)`,
      [migrationChecksum('CRATE TABLE c ();')],
    );
    writeMigration(dir, '3_c', 'CRATE TABLE c ();');
    await assert.rejects(applyMigrations({ databaseUrl: url, migrationsDir: dir }), (error: Error) => {
      assert.ok(error instanceof MigrationHistoryError);
      assert.equal(error.migrationName, '3_c');
      assert.match(error.message, /3_c .* failed and was never resolved: syntax error/);
      return true;
    });
  });

  it('rolls a failing migration back entirely and records no finished row', async () => {
    const url = await freshDatabase();
    const broken =
      'CREATE TABLE b (id int);\nINSERT INTO b VALUES (1);\nCREATE TABLE c (id int REFERENCES nowhere(id));\n';
    const dir = tempMigrations({
      '1_a': 'CREATE TABLE a (id int);',
      '2_b': broken,
      '3_d': 'CREATE TABLE d (id int);',
    });

    await assert.rejects(applyMigrations({ databaseUrl: url, migrationsDir: dir }), (error: Error) => {
      assert.ok(error instanceof MigrationFailedError);
      assert.equal(error.migrationName, '2_b');
      assert.match(
        error.message,
        /Migration 2_b failed and was rolled back: relation "nowhere" does not exist \(SQLSTATE 42P01\)/,
      );
      return true;
    });
    assert.ok(await tableExists(url, 'a'), 'the migration before it stays applied');
    assert.ok(!(await tableExists(url, 'b')), 'nothing of the failed migration remains');
    assert.ok(!(await tableExists(url, 'd')), 'nothing after it runs');
    const rows = await history(url);
    assert.deepEqual(
      rows.filter((r) => r.finished_at !== null).map((r) => r.migration_name),
      ['1_a'],
    );
    const trace = rows.find((r) => r.migration_name === '2_b');
    assert.ok(trace?.rolled_back_at instanceof Date, 'the failed attempt is kept as rolled back');
    assert.match(trace.logs ?? '', /nowhere/);

    writeMigration(dir, '2_b', 'CREATE TABLE b (id int);\n');
    assert.deepEqual(await applyMigrations({ databaseUrl: url, migrationsDir: dir }), {
      applied: ['2_b', '3_d'],
      skipped: ['1_a'],
    });
  });

  it('commits a script only together with its history row', async () => {
    const url = await freshDatabase();
    // The script succeeds but makes its own history row impossible to write.
    const script = `CREATE TABLE b (id int);
      ALTER TABLE _prisma_migrations ADD CONSTRAINT refuse_b CHECK (migration_name <> '2_b');`;
    const dir = tempMigrations({ '1_a': 'CREATE TABLE a (id int);', '2_b': script });
    await assert.rejects(
      applyMigrations({ databaseUrl: url, migrationsDir: dir }),
      /Migration 2_b failed .*refuse_b/,
    );
    assert.ok(!(await tableExists(url, 'b')));
  });

  it('points at the line of a syntax error', async () => {
    const url = await freshDatabase();
    const dir = tempMigrations({ '1_a': 'CREATE TABLE a (id int);\n\nCRATE TABLE b (id int);\n' });
    await assert.rejects(
      applyMigrations({ databaseUrl: url, migrationsDir: dir }),
      /1_a .*syntax error at or near "CRATE" .* at line 3/,
    );
  });

  it('lets racing processes finish with every migration recorded exactly once', async () => {
    const url = await freshDatabase();
    const results = await Promise.all(
      Array.from({ length: 4 }, () => applyMigrations({ databaseUrl: url, migrationsDir: REPO_MIGRATIONS })),
    );
    const applied = results.flatMap((r) => r.applied).sort();
    assert.deepEqual(applied, repoMigrationNames(), 'each migration applied by exactly one process');
    for (const result of results) {
      assert.deepEqual([...result.applied, ...result.skipped].sort(), repoMigrationNames());
    }
    const names = (await history(url)).map((r) => r.migration_name);
    assert.deepEqual(names, repoMigrationNames());
  });

  it('waits while another migrator (or prisma migrate deploy) holds the lock', async () => {
    const url = await freshDatabase();
    const holder = new Client({ connectionString: url });
    await holder.connect();
    await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const messages: string[] = [];
    let done = false;
    const run = applyMigrations({
      databaseUrl: url,
      migrationsDir: tempMigrations({ '1_a': 'CREATE TABLE a (id int);' }),
      log: (message) => messages.push(message),
    }).finally(() => (done = true));
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 300));
    assert.equal(done, false, 'still waiting for the lock');
    assert.ok(!(await tableExists(url, 'a')));
    assert.match(messages.join('\n'), /waiting/);
    await holder.end();
    assert.deepEqual(await run, { applied: ['1_a'], skipped: [] });
  });
});

describe('createDatabaseIfMissing', () => {
  it('creates the database once, even when called concurrently', async () => {
    const name = `tn1_test_${randomBytes(6).toString('hex')}`;
    const admin = new URL(testInfra().postgresAdminUrl);
    const url = new URL(admin);
    url.pathname = `/${name}`;
    databases.push({
      drop: async () => void (await query(admin.toString(), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
    });
    const created = await Promise.all([1, 2, 3].map(() => createDatabaseIfMissing(url.toString())));
    assert.deepEqual(created.filter(Boolean), [true]);
    assert.equal(await createDatabaseIfMissing(url.toString()), false);
    assert.deepEqual(await query(url.toString(), 'SELECT current_database() AS name'), [{ name }]);
  });
});
