import assert from 'node:assert/strict';
import {
  CombatErrors,
  FactionsErrors,
  InventoryErrors,
  MarketErrors,
  PlatformErrors,
  SeasonsErrors,
  WorldErrors,
} from '@trustno1/contracts';
import { createTestDatabase } from '@trustno1/testing';
import { resolve } from 'node:path';
import { afterAll, describe, it } from '@jest/globals';
import { Client } from 'pg';
import { readRepeatableMigrations, type SqlOwner } from './migrator';

// The procedure sources of prisma/sql and the error codes of @trustno1/contracts: every code a
// file raises is one its owner's services map, and raise_error is the only way to raise one.

const REPO_SQL = resolve(__dirname, '../../../../prisma/sql');

/** The contracts' list of the codes each owner's SQL may raise; an owner without one raises none. */
const OWNER_ERRORS: Partial<Record<SqlOwner, Record<string, string>>> = {
  platform: PlatformErrors,
  inventory: InventoryErrors,
  world: WorldErrors,
  combat: CombatErrors,
  market: MarketErrors,
  factions: FactionsErrors,
  seasons: SeasonsErrors,
};

interface SourceFile {
  name: string;
  owner: SqlOwner;
  script: string;
}

/** Every problem with the way `files` raise coded errors, one line each. */
function codeProblems(files: SourceFile[]): string[] {
  const problems: string[] = [];
  for (const { name, owner, script: source } of files) {
    const known = OWNER_ERRORS[owner];
    // Comments may mention raise_error; only code counts.
    const script = source.replace(/--[^\n]*/g, '');
    for (const call of script.matchAll(/(FUNCTION\s+)?raise_error\s*\(\s*('([^']*)')?/gi)) {
      if (call[1]) continue; // its definition
      const code = call[3];
      if (code === undefined) problems.push(`${name} calls raise_error without a literal code`);
      else if (!known)
        problems.push(`${name} raises ${code}, but the contracts list no error codes for ${owner}`);
      else if (!Object.prototype.hasOwnProperty.call(known, code))
        problems.push(`${name} raises ${code}, which is not among the contracts' error codes of ${owner}`);
    }
    if (name !== 'platform/01_errors.sql' && /ERRCODE\s*=\s*'P0001'/i.test(script)) {
      problems.push(`${name} raises SQLSTATE P0001 itself; coded errors go through raise_error`);
    }
  }
  return problems;
}

const databases: { drop: () => Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(databases.map((database) => database.drop()));
});

describe('procedure sources and the contracts', () => {
  it('every code a file raises is among the contracts’ codes of its owner, always through raise_error', () => {
    const files = readRepeatableMigrations(REPO_SQL);
    assert.ok(
      files.some((file) => /raise_error\('SLOT_OCCUPIED'/.test(file.script)),
      'the scan sees the calls',
    );
    assert.deepEqual(codeProblems(files), []);
  });

  it('names an unknown code, a code of another owner, a computed code and a hand-made P0001', () => {
    const files: SourceFile[] = [
      {
        name: 'inventory/01_a.sql',
        owner: 'inventory',
        script:
          "-- raise_error (platform) and raise_error('NOPE') in a comment\nPERFORM raise_error('SLOT_OCCUPIED');",
      },
      {
        name: 'inventory/02_b.sql',
        owner: 'inventory',
        script: "PERFORM raise_error( 'NO_SUCH_CODE', '{}');",
      },
      { name: 'world/01_c.sql', owner: 'world', script: "PERFORM raise_error('OVER_WEIGHT', '{}');" },
      { name: 'world/02_d.sql', owner: 'world', script: 'PERFORM raise_error(v_code, v_details);' },
      { name: 'accounts/00_e.sql', owner: 'accounts', script: "PERFORM raise_error('INSUFFICIENT_FUNDS');" },
      {
        name: 'factions/01_f.sql',
        owner: 'factions',
        script: "RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'NOT_FOUND';",
      },
    ];
    assert.deepEqual(codeProblems(files), [
      "inventory/02_b.sql raises NO_SUCH_CODE, which is not among the contracts' error codes of inventory",
      "world/01_c.sql raises OVER_WEIGHT, which is not among the contracts' error codes of world",
      'world/02_d.sql calls raise_error without a literal code',
      'accounts/00_e.sql raises INSUFFICIENT_FUNDS, but the contracts list no error codes for accounts',
      'factions/01_f.sql raises SQLSTATE P0001 itself; coded errors go through raise_error',
    ]);
  });

  it('raise_error keeps the wire format the services map: P0001, the code, JSON details', async () => {
    const database = await createTestDatabase();
    databases.push(database);
    const client = new Client({ connectionString: database.url });
    await client.connect();
    const raised = (sql: string) =>
      client.query(sql).then(
        () => assert.fail(`${sql} raised nothing`),
        (error: { code?: string; message?: string; detail?: string }) => ({
          code: error.code,
          message: error.message,
          detail: error.detail,
        }),
      );
    try {
      assert.deepEqual(await raised(`SELECT raise_error('SLOT_OCCUPIED', '{"gridX": 1}')`), {
        code: 'P0001',
        message: 'SLOT_OCCUPIED',
        detail: '{"gridX": 1}',
      });
      assert.deepEqual(await raised(`SELECT raise_error('NOT_FOUND')`), {
        code: 'P0001',
        message: 'NOT_FOUND',
        detail: '{}',
      });
      assert.deepEqual(await raised(`SELECT raise_error('NOT_FOUND', NULL)`), {
        code: 'P0001',
        message: 'NOT_FOUND',
        detail: '{}',
      });
      const { rows } = await client.query<{ name: string }>(
        `SELECT proname::text AS name FROM pg_proc
          WHERE proname IN ('inv_fail', 'st_fail', 'world_entity_fail', 'raise_error') ORDER BY 1`,
      );
      assert.deepEqual(rows, [{ name: 'raise_error' }], 'the three old helpers are gone');
    } finally {
      await client.end();
    }
  });
});
