import { randomBytes } from 'node:crypto';
import type { ClientBase } from 'pg';
import { connect, maintenanceUrl, quoteIdent } from './database';
import { findMigrationsDir } from './migration-files';
import { applyMigrations } from './migrator';
import {
  applyRepeatableFile,
  findSqlDir,
  readRepeatableHistory,
  readRepeatableMigrations,
} from './repeatable';

// Drift check: are the functions, views and triggers of a database exactly what prisma/sql
// defines, and do the schemas, tables and functions have the owners and grants the migrations and
// files give them (docs/database.md "Roles and grants")? The reference is a scratch database built from the same sources (versioned
// migrations, then the procedure files one by one); PostgreSQL's own deparsers
// (pg_get_functiondef, pg_get_viewdef, pg_get_triggerdef) print both sides, so a body edited by
// hand, an object created by hand, a dropped or disabled trigger all show as differences.
// Which file defines an object is seen in the scratch database: CREATE OR REPLACE always writes
// a new catalog row version (xmin), so the objects whose version a file's transaction changed are
// that file's. An object no file touches came from a versioned migration only: its current
// source belongs in prisma/sql too (schemas and tables excepted: versioned migrations own them).

export type DriftKind = 'changed' | 'missing' | 'unexpected' | 'not-in-files';

export interface DriftProblem {
  kind: DriftKind;
  /** e.g. `function public.transfer_item(uuid, uuid, …)`, `trigger x on public.t`, `view public.v`. */
  object: string;
  /** The procedure file that defines the object, when one does. */
  file: string | null;
  message: string;
}

export interface DriftReport {
  problems: DriftProblem[];
  /** How many objects of each kind the reference holds. */
  compared: Record<ObjectKind, number>;
}

type ObjectKind = 'function' | 'view' | 'trigger' | 'schema' | 'table';

interface DbObject {
  kind: ObjectKind;
  definition: string;
  /** The catalog row version (xmin). */
  version: string;
}

/** What the sources define: each object's definition and the file it comes from. */
export interface ProcedureReference {
  objects: Map<string, { kind: ObjectKind; definition: string; file: string | null }>;
}

export interface DriftOptions {
  /** Defaults to the workspace's prisma/migrations. */
  migrationsDir?: string;
  /** Defaults to the workspace's prisma/sql. */
  sqlDir?: string;
  /**
   * Any database URL of the server where the scratch database is created and dropped (needs
   * CREATEDB there, and the same PostgreSQL major version as the checked database, since both
   * sides are printed by the server). Defaults to the checked database's server.
   */
  scratchUrl?: string;
}

// Every function, view and trigger outside the system schemas, except what extensions own
// (btree_gist's operator support functions) and the copies PostgreSQL makes itself (foreign-key
// triggers, a partitioned table's triggers cloned onto each partition); a function with its owner
// and grants. Every schema and table (partitions aside: the partition job adds them by date) with
// its owner and grants, so a table in the wrong schema or a grant given by hand shows too.
const OBJECTS = `
  SELECT 'function ' || format('%I.%I(%s)', n.nspname, p.proname, oidvectortypes(p.proargtypes)) AS key,
         'function' AS kind,
         pg_get_functiondef(p.oid) || E'\n-- owner ' || pg_get_userbyid(p.proowner)
           || ', grants ' || coalesce(p.proacl::text, 'default') AS definition,
         p.xmin::text AS version
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE p.prokind IN ('f', 'p') AND ${userSchema('n.nspname')}
     AND NOT EXISTS (SELECT 1 FROM pg_depend d
                      WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
  UNION ALL
  SELECT CASE c.relkind WHEN 'm' THEN 'materialized view ' ELSE 'view ' END
           || format('%I.%I', n.nspname, c.relname),
         'view', pg_get_viewdef(c.oid, true) || coalesce(' WITH ' || array_to_string(c.reloptions, ', '), ''),
         c.xmin::text
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind IN ('v', 'm') AND ${userSchema('n.nspname')}
     AND NOT EXISTS (SELECT 1 FROM pg_depend d
                      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
  UNION ALL
  SELECT 'trigger ' || format('%I on %I.%I', t.tgname, n.nspname, c.relname),
         'trigger',
         pg_get_triggerdef(t.oid) || CASE t.tgenabled WHEN 'O' THEN '' WHEN 'D' THEN ' [disabled]'
                                                      WHEN 'R' THEN ' [enabled on replica only]'
                                                      ELSE ' [enabled always]' END,
         t.xmin::text
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND ${userSchema('n.nspname')}
  UNION ALL
  SELECT 'schema ' || format('%I', n.nspname), 'schema',
         'owner ' || pg_get_userbyid(n.nspowner) || ', grants ' || coalesce(n.nspacl::text, 'default'),
         n.xmin::text
    FROM pg_namespace n
   WHERE ${userSchema('n.nspname')}
  UNION ALL
  SELECT 'table ' || format('%I.%I', n.nspname, c.relname), 'table',
         'owner ' || pg_get_userbyid(c.relowner) || ', grants ' || coalesce(c.relacl::text, 'default'),
         c.xmin::text
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND ${userSchema('n.nspname')}
   ORDER BY 1`;

/** What the versioned migrations define: checked for placement, owner and grants only. */
const STRUCTURE = new Set<ObjectKind>(['schema', 'table']);

function userSchema(column: string): string {
  return `${column} NOT IN ('pg_catalog', 'information_schema') AND ${column} NOT LIKE 'pg\\_toast%'
          AND ${column} NOT LIKE 'pg\\_temp\\_%'`;
}

// The deparsers qualify a name only when the session's search_path does not find it: both sides
// are read with the same, empty one, so every name prints qualified.
async function readObjects(client: ClientBase): Promise<Map<string, DbObject>> {
  await client.query('BEGIN');
  try {
    await client.query('SET LOCAL search_path TO pg_catalog');
    const { rows } = await client.query<{ key: string } & DbObject>(OBJECTS);
    return new Map(rows.map(({ key, ...object }) => [key, object]));
  } finally {
    await client.query('COMMIT');
  }
}

/**
 * Builds the reference from the sources in a scratch database (created, migrated, read and
 * dropped again): what the database should hold, object by object, and which file defines each.
 */
export async function buildProcedureReference(
  databaseUrl: string,
  options: DriftOptions = {},
): Promise<ProcedureReference> {
  const migrationsDir = options.migrationsDir ?? findMigrationsDir();
  const files = readRepeatableMigrations(options.sqlDir ?? findSqlDir());
  const server = maintenanceUrl(options.scratchUrl ?? databaseUrl);
  const name = `tn1_procedures_${randomBytes(6).toString('hex')}`;
  const scratch = new URL(server);
  scratch.pathname = `/${name}`;
  await onServer(server, `CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0`);
  try {
    // An explicit migrationsDir without sqlDir: the versioned migrations only.
    await applyMigrations({ databaseUrl: scratch.toString(), migrationsDir });
    const client = await connect(scratch.toString());
    try {
      await readRepeatableHistory(client);
      let versions = await readObjects(client);
      const fileOf = new Map<string, string>();
      for (const file of files) {
        await applyRepeatableFile(client, file);
        const now = await readObjects(client);
        for (const [key, object] of now) {
          if (versions.get(key)?.version !== object.version) fileOf.set(key, file.name);
        }
        versions = now;
      }
      return {
        objects: new Map(
          // A file's trigger or grant touches a table's or schema's row too; they are still the
          // versioned migrations'.
          [...versions].map(([key, { kind, definition }]) => [
            key,
            { kind, definition, file: STRUCTURE.has(kind) ? null : (fileOf.get(key) ?? null) },
          ]),
        ),
      };
    } finally {
      await client.end().catch(() => undefined);
    }
  } finally {
    await onServer(server, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  }
}

async function onServer(url: string, statement: string): Promise<void> {
  const client = await connect(url);
  try {
    await client.query(statement);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Compares a database's functions, views and triggers with a reference, read-only. */
export async function findProcedureDrift(
  databaseUrl: string,
  reference: ProcedureReference,
): Promise<DriftReport> {
  const client = await connect(databaseUrl);
  let actual: Map<string, DbObject>;
  try {
    actual = await readObjects(client);
  } finally {
    await client.end().catch(() => undefined);
  }
  const problems: DriftProblem[] = [];
  const compared: Record<ObjectKind, number> = { function: 0, view: 0, trigger: 0, schema: 0, table: 0 };
  for (const [object, expected] of reference.objects) {
    compared[expected.kind] += 1;
    const { file } = expected;
    if (file === null && !STRUCTURE.has(expected.kind)) {
      problems.push({
        kind: 'not-in-files',
        object,
        file,
        message:
          `${object} is defined by a versioned migration but by no file of prisma/sql: put its ` +
          'current source in prisma/sql/<owner>/',
      });
    }
    const found = actual.get(object);
    if (!found && STRUCTURE.has(expected.kind)) {
      problems.push({
        kind: 'missing',
        object,
        file,
        message: `${object} is missing from the database (dropped, renamed or moved to another schema by hand?)`,
      });
    } else if (!found) {
      problems.push({
        kind: 'missing',
        object,
        file,
        message:
          `${object}${file ? ` (${file})` : ''} is missing from the database: \`npm run db:migrate\` ` +
          'applies pending files; `npm run db:migrate -- --reapply` puts back what was dropped by hand',
      });
    } else if (found.definition !== expected.definition && STRUCTURE.has(expected.kind)) {
      problems.push({
        kind: 'changed',
        object,
        file,
        message:
          `${object} differs from what the migrations give it (${firstDifference(found.definition, expected.definition)}): ` +
          'an owner or a grant changed by hand',
      });
    } else if (found.definition !== expected.definition) {
      problems.push({
        kind: 'changed',
        object,
        file,
        message:
          `${object} differs from ${file ?? 'the migrations'} (${firstDifference(found.definition, expected.definition)}): ` +
          '`npm run db:migrate` applies pending files; if it was edited by hand, ' +
          '`npm run db:migrate -- --reapply` puts the files’ version back',
      });
    }
  }
  for (const object of actual.keys()) {
    if (reference.objects.has(object)) continue;
    problems.push({
      kind: 'unexpected',
      object,
      file: null,
      message: STRUCTURE.has(actual.get(object)!.kind)
        ? `${object} exists in the database but no migration creates it there (created or moved by hand?)`
        : `${object} exists in the database but in no file of prisma/sql (created by hand?): add it to a file or drop it`,
    });
  }
  return { problems, compared };
}

/** Builds the reference from the sources and compares `databaseUrl` with it. */
export async function checkProcedureDrift(
  databaseUrl: string,
  options: DriftOptions = {},
): Promise<DriftReport> {
  return findProcedureDrift(databaseUrl, await buildProcedureReference(databaseUrl, options));
}

function firstDifference(actual: string, expected: string): string {
  const a = actual.split('\n');
  const b = expected.split('\n');
  const line = a.findIndex((text, i) => text !== b[i]);
  const at = line === -1 ? a.length : line;
  const show = (text: string | undefined) => (text === undefined ? 'nothing' : JSON.stringify(text.trim()));
  return `line ${at + 1}: database has ${show(a[at])}, sources have ${show(b[at])}`;
}
