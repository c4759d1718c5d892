import assert from 'node:assert/strict';
import { createTestDatabase, testInfra } from '@trustno1/testing';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { Client } from 'pg';
import {
  buildProcedureReference,
  findProcedureDrift,
  type DriftProblem,
  type ProcedureReference,
} from './drift';
import { applyMigrations } from './migrator';

const ROOT = resolve(__dirname, '../../../..');

const databases: { drop: () => Promise<void> }[] = [];
const tempDirs: string[] = [];

afterAll(async () => {
  await Promise.all(databases.map((database) => database.drop()));
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A clone of the runner's template: versioned migrations and prisma/sql applied. */
async function migratedDatabase(): Promise<string> {
  const database = await createTestDatabase();
  databases.push(database);
  return database.url;
}

async function run(url: string, ...statements: string[]): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

const summary = (problems: DriftProblem[]) =>
  problems.map(({ kind, object, file }) => ({ kind, object, file }));

describe('procedure drift check (prisma/sql against a database)', () => {
  let reference: ProcedureReference;

  beforeAll(async () => {
    // The workspace's sources, built in a scratch database on the test server.
    reference = await buildProcedureReference(testInfra().postgresAdminUrl);
  });

  it('finds the migrated database exactly as the files define it, every object in a file', async () => {
    const report = await findProcedureDrift(await migratedDatabase(), reference);
    assert.deepEqual(report.problems, []);
    assert.ok(report.compared.function >= 50, `${report.compared.function} functions compared`);
    assert.ok(report.compared.trigger >= 14, `${report.compared.trigger} triggers compared`);
    const files = new Set([...reference.objects.values()].map((object) => object.file));
    assert.ok(files.has('inventory/03_items.sql') && files.has('world/04_structure_placement.sql'));
    assert.equal(
      reference.objects.get(
        'function inventory.transfer_item(uuid, uuid, integer, integer, integer, character varying, uuid, character varying, character varying)',
      )?.file,
      'inventory/03_items.sql',
    );
  });

  it('names a function edited by hand and the file it belongs to', async () => {
    const url = await migratedDatabase();
    await run(
      url,
      `CREATE OR REPLACE FUNCTION inventory.inventory_weight(p_inv uuid) RETURNS double precision
       LANGUAGE sql STABLE AS $$ SELECT 0::double precision $$`,
    );
    const { problems } = await findProcedureDrift(url, reference);
    assert.deepEqual(summary(problems), [
      {
        kind: 'changed',
        object: 'function inventory.inventory_weight(uuid)',
        file: 'inventory/01_helpers.sql',
      },
    ]);
    assert.match(
      problems[0].message,
      /database has "AS \$function\$ SELECT 0::double precision \$function\$"/,
    );
  });

  it('names a function that exists in the database but in no file', async () => {
    const url = await migratedDatabase();
    await run(
      url,
      `CREATE FUNCTION public.hotfix_refund(p_player uuid) RETURNS void LANGUAGE sql AS $$ SELECT $$`,
    );
    const { problems } = await findProcedureDrift(url, reference);
    assert.deepEqual(summary(problems), [
      { kind: 'unexpected', object: 'function public.hotfix_refund(uuid)', file: null },
    ]);
  });

  it('names a grant given by hand and a table moved to another schema', async () => {
    const url = await migratedDatabase();
    await run(
      url,
      'GRANT INSERT ON inventory.inventories TO tn1_accounts',
      'GRANT EXECUTE ON FUNCTION inventory.transfer_item(uuid, uuid, integer, integer, integer, varchar, uuid, varchar, varchar) TO tn1_world',
      'ALTER TABLE combat.raid_logs SET SCHEMA public',
    );
    const { problems } = await findProcedureDrift(url, reference);
    assert.deepEqual(summary(problems), [
      {
        kind: 'changed',
        object:
          'function inventory.transfer_item(uuid, uuid, integer, integer, integer, character varying, uuid, character varying, character varying)',
        file: 'inventory/03_items.sql',
      },
      { kind: 'missing', object: 'table combat.raid_logs', file: null },
      { kind: 'changed', object: 'table inventory.inventories', file: null },
      { kind: 'unexpected', object: 'table public.raid_logs', file: null },
    ]);
  });

  it('names a trigger disabled or dropped by hand', async () => {
    const url = await migratedDatabase();
    await run(
      url,
      'ALTER TABLE item_ledger DISABLE TRIGGER item_ledger_append_only',
      'DROP TRIGGER wallet_ledger_no_truncate ON wallet_ledger',
    );
    const { problems } = await findProcedureDrift(url, reference);
    assert.deepEqual(summary(problems), [
      {
        kind: 'changed',
        object: 'trigger item_ledger_append_only on inventory.item_ledger',
        file: 'inventory/02_row_guards.sql',
      },
      {
        kind: 'missing',
        object: 'trigger wallet_ledger_no_truncate on market.wallet_ledger',
        file: 'market/01_wallet_ledger.sql',
      },
    ]);
  });

  it('names what only a versioned migration defines, and a view changed by hand', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tn1-drift-'));
    tempDirs.push(dir);
    const migrationsDir = join(dir, 'migrations');
    const sqlDir = join(dir, 'sql');
    mkdirSync(join(migrationsDir, '1_t'), { recursive: true });
    mkdirSync(join(sqlDir, 'platform'), { recursive: true });
    writeFileSync(
      join(migrationsDir, '1_t', 'migration.sql'),
      `CREATE TABLE t (id int);
       CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
       CREATE FUNCTION forgotten() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;`,
    );
    writeFileSync(
      join(sqlDir, 'platform', '01_f.sql'),
      `CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 2 $$;
       CREATE OR REPLACE VIEW t_ids AS SELECT id FROM t;`,
    );
    const database = await createTestDatabase({ migrated: false });
    databases.push(database);
    await applyMigrations({ databaseUrl: database.url, migrationsDir, sqlDir });
    const own = await buildProcedureReference(database.url, { migrationsDir, sqlDir });
    assert.deepEqual(summary((await findProcedureDrift(database.url, own)).problems), [
      { kind: 'not-in-files', object: 'function public.forgotten()', file: null },
    ]);

    await run(database.url, 'CREATE OR REPLACE VIEW t_ids AS SELECT id FROM t WHERE id > 0');
    assert.deepEqual(summary((await findProcedureDrift(database.url, own)).problems), [
      { kind: 'not-in-files', object: 'function public.forgotten()', file: null },
      { kind: 'changed', object: 'view public.t_ids', file: 'platform/01_f.sql' },
    ]);
  });

  it('npm run db:check exits 0 on a matching database and 1 naming a hand edit', async () => {
    const url = await migratedDatabase();
    const check = () =>
      spawnSync(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'tools/check-db.ts')], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: url },
        encoding: 'utf8',
      });
    const clean = check();
    assert.equal(clean.status, 0, clean.stderr);
    assert.match(
      clean.stdout,
      /holds exactly what prisma\/sql defines: \d+ functions, \d+ triggers, 0 views/,
    );

    await run(
      url,
      `CREATE OR REPLACE FUNCTION world.st_chunk_of(p_v double precision) RETURNS integer
                    LANGUAGE sql IMMUTABLE AS $$ SELECT floor(p_v / 64.0)::integer $$`,
    );
    const drifted = check();
    assert.equal(drifted.status, 1, drifted.stdout);
    assert.match(
      drifted.stderr,
      /\[changed\] function world\.st_chunk_of\(double precision\) differs from world\/01_helpers\.sql/,
    );
  });
});
