import assert from 'node:assert/strict';
import { createTestDatabase } from '@trustno1/testing';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, it } from '@jest/globals';
import { Client } from 'pg';
import { applyMigrations, readRepeatableMigrations, RepeatableMigrationFailedError } from './migrator';

const REPO_SQL = resolve(__dirname, '../../../../prisma/sql');

const databases: { drop: () => Promise<void> }[] = [];
const tempDirs: string[] = [];

afterAll(async () => {
  await Promise.all(databases.map((database) => database.drop()));
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

async function freshDatabase(): Promise<string> {
  const database = await createTestDatabase({ migrated: false });
  databases.push(database);
  return database.url;
}

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** A migrations directory with one versioned migration creating table t. */
function versioned(): string {
  const dir = tempDir('tn1-migrations-');
  mkdirSync(join(dir, '1_t'));
  writeFileSync(join(dir, '1_t', 'migration.sql'), 'CREATE TABLE t (id int);\n');
  return dir;
}

function writeSql(sqlDir: string, name: string, sql: string): void {
  mkdirSync(join(sqlDir, name.split('/')[0]), { recursive: true });
  writeFileSync(join(sqlDir, name), sql);
}

function sqlFiles(files: Record<string, string>): string {
  const dir = tempDir('tn1-sql-');
  for (const [name, sql] of Object.entries(files)) writeSql(dir, name, sql);
  return dir;
}

const fn = (name: string, body: string, language = 'sql') =>
  `CREATE OR REPLACE FUNCTION ${name}() RETURNS int LANGUAGE ${language} AS $$ ${body} $$;\n`;

// LANGUAGE sql bodies are checked when created, so inventory/01_b.sql only applies after
// platform/01_a.sql, although "inventory" sorts before "platform".
const FILES = {
  'world/02_d.sql': fn('d', 'SELECT c() + 1'),
  'world/01_c.sql': fn('c', 'SELECT b() + 1'),
  'inventory/01_b.sql': fn('b', 'SELECT a() + 1'),
  'platform/01_a.sql': fn('a', 'SELECT 1'),
};
const ORDER = ['platform/01_a.sql', 'inventory/01_b.sql', 'world/01_c.sql', 'world/02_d.sql'];

async function query<T = Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

async function call(url: string, name: string): Promise<number> {
  const [row] = await query<{ value: number }>(url, `SELECT ${name}() AS value`);
  return row.value;
}

interface Row {
  name: string;
  checksum: string;
  applied_at: Date;
}

function recorded(url: string): Promise<Row[]> {
  return query<Row>(url, 'SELECT name, checksum, applied_at FROM _repeatable_migrations ORDER BY name');
}

function appliedAt(rows: Row[]): Record<string, number> {
  return Object.fromEntries(rows.map((row) => [row.name, row.applied_at.getTime()]));
}

describe('repeatable migrations (prisma/sql)', () => {
  it('apply every file after the versioned migrations: platform, then owners in order, then file name', async () => {
    const url = await freshDatabase();
    const sqlDir = sqlFiles(FILES);
    const result = await applyMigrations({ databaseUrl: url, migrationsDir: versioned(), sqlDir });
    assert.deepEqual(result, { applied: ['1_t'], skipped: [], repeatable: { applied: ORDER, skipped: [] } });
    assert.equal(await call(url, 'd'), 4);
    assert.deepEqual(
      (await recorded(url)).map(({ name, checksum }) => ({ name, checksum })),
      Object.entries(FILES)
        .map(([name, sql]) => ({ name, checksum: createHash('sha256').update(sql).digest('hex') }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

  it("apply the workspace's prisma/migrations and prisma/sql when no directory is given", async () => {
    const url = await freshDatabase();
    const result = await applyMigrations({ databaseUrl: url });
    const files = readRepeatableMigrations(REPO_SQL).map((file) => file.name);
    assert.ok(files.length >= 19, 'the repository has its procedure files');
    assert.deepEqual(result.repeatable, { applied: files, skipped: [] });
    assert.deepEqual(
      (await recorded(url)).map((row) => row.name),
      [...files].sort(),
    );
    const [found] = await query<{ n: number }>(
      url,
      "SELECT count(*)::int AS n FROM pg_proc WHERE proname IN ('transfer_item', 'place_structure', 'ensure_partitions')",
    );
    assert.equal(found.n, 3);
  });

  it('apply nothing the second time', async () => {
    const url = await freshDatabase();
    const migrationsDir = versioned();
    const sqlDir = sqlFiles(FILES);
    await applyMigrations({ databaseUrl: url, migrationsDir, sqlDir });
    const before = await recorded(url);
    const again = await applyMigrations({ databaseUrl: url, migrationsDir, sqlDir });
    assert.deepEqual(again, { applied: [], skipped: ['1_t'], repeatable: { applied: [], skipped: ORDER } });
    assert.deepEqual(await recorded(url), before);
  });

  it('re-apply only the file that changed', async () => {
    const url = await freshDatabase();
    const migrationsDir = versioned();
    const sqlDir = sqlFiles(FILES);
    await applyMigrations({ databaseUrl: url, migrationsDir, sqlDir });
    const before = appliedAt(await recorded(url));
    writeSql(sqlDir, 'world/01_c.sql', fn('c', 'SELECT b() + 10'));
    const result = await applyMigrations({ databaseUrl: url, migrationsDir, sqlDir });
    assert.deepEqual(result.repeatable, {
      applied: ['world/01_c.sql'],
      skipped: ['platform/01_a.sql', 'inventory/01_b.sql', 'world/02_d.sql'],
    });
    assert.equal(await call(url, 'c'), 12);
    const after = appliedAt(await recorded(url));
    for (const name of ORDER.filter((n) => n !== 'world/01_c.sql'))
      assert.equal(after[name], before[name], name);
    assert.ok(after['world/01_c.sql'] > before['world/01_c.sql']);
  });

  it('fail naming a broken file, keep its previous version, and stop there', async () => {
    const url = await freshDatabase();
    const migrationsDir = versioned();
    const sqlDir = sqlFiles(FILES);
    await applyMigrations({ databaseUrl: url, migrationsDir, sqlDir });
    const before = await recorded(url);
    // The new version of c() is valid; the statement after it is not, so nothing of the file stays.
    writeSql(sqlDir, 'world/01_c.sql', `${fn('c', 'SELECT 100')}\nSELEC 1;\n`);
    writeSql(sqlDir, 'world/02_d.sql', fn('d', 'SELECT 200'));
    await assert.rejects(applyMigrations({ databaseUrl: url, migrationsDir, sqlDir }), (error: Error) => {
      assert.ok(error instanceof RepeatableMigrationFailedError);
      assert.equal(error.fileName, 'world/01_c.sql');
      assert.match(
        error.message,
        /Procedure file world\/01_c\.sql failed .*syntax error at or near "SELEC" .*at line 3/,
      );
      return true;
    });
    assert.equal(await call(url, 'c'), 3, 'the previous version of c() stays');
    assert.equal(await call(url, 'd'), 4, 'files after the broken one are not applied');
    assert.deepEqual(await recorded(url), before);

    writeSql(sqlDir, 'world/01_c.sql', fn('c', 'SELECT 100'));
    const fixed = await applyMigrations({ databaseUrl: url, migrationsDir, sqlDir });
    assert.deepEqual(fixed.repeatable?.applied, ['world/01_c.sql', 'world/02_d.sql']);
    assert.equal(await call(url, 'd'), 200);
  });

  it('need DROP FUNCTION first when a signature or return type changes', async () => {
    const url = await freshDatabase();
    const migrationsDir = versioned();
    const sqlDir = sqlFiles({ 'platform/01_a.sql': fn('a', 'SELECT 1') });
    await applyMigrations({ databaseUrl: url, migrationsDir, sqlDir });
    const changed = "CREATE OR REPLACE FUNCTION a() RETURNS text LANGUAGE sql AS $$ SELECT 'one' $$;\n";
    writeSql(sqlDir, 'platform/01_a.sql', changed);
    await assert.rejects(
      applyMigrations({ databaseUrl: url, migrationsDir, sqlDir }),
      /platform\/01_a\.sql failed .*cannot change return type of existing function/,
    );
    writeSql(sqlDir, 'platform/01_a.sql', `DROP FUNCTION IF EXISTS a();\n${changed}`);
    await applyMigrations({ databaseUrl: url, migrationsDir, sqlDir });
    assert.deepEqual(await query(url, 'SELECT a() AS value'), [{ value: 'one' }]);
  });

  it('apply every file again with reapply, changed or not', async () => {
    const url = await freshDatabase();
    const migrationsDir = versioned();
    const sqlDir = sqlFiles(FILES);
    await applyMigrations({ databaseUrl: url, migrationsDir, sqlDir });
    await query(url, 'CREATE OR REPLACE FUNCTION a() RETURNS int LANGUAGE sql AS $$ SELECT 99 $$');
    const result = await applyMigrations({ databaseUrl: url, migrationsDir, sqlDir, reapply: true });
    assert.deepEqual(result.repeatable, { applied: ORDER, skipped: [] });
    assert.equal(await call(url, 'a'), 1, 'the hand edit is gone');
  });

  it('refuse a folder that is no owner and a misnamed file before touching the database', async () => {
    const url = await freshDatabase();
    const stray = sqlFiles({ ...FILES, 'inventroy/01_e.sql': fn('e', 'SELECT 1') });
    await assert.rejects(
      applyMigrations({ databaseUrl: url, migrationsDir: versioned(), sqlDir: stray }),
      /inventroy is not an owner folder: .* platform, accounts, inventory, world, combat, market, factions/,
    );
    const misnamed = sqlFiles({ ...FILES, 'world/3_e.sql': fn('e', 'SELECT 1') });
    await assert.rejects(
      applyMigrations({ databaseUrl: url, migrationsDir: versioned(), sqlDir: misnamed }),
      /world\/3_e\.sql: procedure sources are files named NN_topic\.sql/,
    );
    const [table] = await query<{ found: string | null }>(url, "SELECT to_regclass('t')::text AS found");
    assert.equal(table.found, null, 'no versioned migration ran either');
  });

  it('say so when a recorded file is gone, and leave what it defined', async () => {
    const url = await freshDatabase();
    const migrationsDir = versioned();
    const sqlDir = sqlFiles(FILES);
    await applyMigrations({ databaseUrl: url, migrationsDir, sqlDir });
    rmSync(join(sqlDir, 'world/02_d.sql'));
    const messages: string[] = [];
    const result = await applyMigrations({
      databaseUrl: url,
      migrationsDir,
      sqlDir,
      log: (m) => messages.push(m),
    });
    assert.deepEqual(result.repeatable, { applied: [], skipped: ORDER.slice(0, 3) });
    assert.match(messages.join('\n'), /no longer on disk: world\/02_d\.sql/);
    assert.equal(await call(url, 'd'), 4);
  });

  it('let racing processes apply each file exactly once', async () => {
    const url = await freshDatabase();
    const migrationsDir = versioned();
    const sqlDir = sqlFiles(FILES);
    const results = await Promise.all(
      Array.from({ length: 4 }, () => applyMigrations({ databaseUrl: url, migrationsDir, sqlDir })),
    );
    const applied = results.flatMap((r) => r.repeatable?.applied ?? []);
    assert.deepEqual([...applied].sort(), [...ORDER].sort());
    for (const result of results) {
      assert.deepEqual(
        [...result.repeatable!.applied, ...result.repeatable!.skipped].sort(),
        [...ORDER].sort(),
      );
    }
  });
});
