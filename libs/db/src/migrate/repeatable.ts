import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ClientBase } from 'pg';
import { migrationChecksum } from './checksum';
import { findMigrationsDir } from './migration-files';
import { describeScriptError } from './script-error';

// Repeatable migrations: the current source of every function, trigger and view, one readable
// file per topic under prisma/sql/<owner>/. After the versioned migrations, each file whose
// checksum differs from the one recorded in _repeatable_migrations is applied again, in its own
// transaction together with its row. A file therefore has to be idempotent (CREATE OR REPLACE).
// A file runs with its owner's schema first on the search_path (ownerSearchPath): what it creates
// without a schema lands in its owner's schema, and the names it uses resolve as they do for the
// owner's role.

/**
 * The owners of procedure sources, in the order their folders are applied: platform first (the
 * helpers everyone calls), then each service, callees before callers (world calls inventory's
 * transfer_item, combat will call create_corpse, the market add_item). Inside a folder, files
 * apply in name order, hence the NN_ prefix.
 */
export const SQL_OWNERS = [
  'platform',
  'accounts',
  'inventory',
  'world',
  'combat',
  'market',
  'factions',
  'seasons',
] as const;
export type SqlOwner = (typeof SQL_OWNERS)[number];

/**
 * The search_path an owner's files are applied with, the same as its role's (its schema, then
 * platform's helpers, then public's extensions). Each owner folder is named after its schema.
 */
export function ownerSearchPath(owner: SqlOwner): string {
  return owner === 'platform' ? 'platform, public' : `${owner}, platform, public`;
}

/** One `prisma/sql/<owner>/<NN>_<topic>.sql` file, read from disk. */
export interface RepeatableMigration {
  /** `<owner>/<file>`, the key of its _repeatable_migrations row. */
  name: string;
  owner: SqlOwner;
  script: string;
  /** Lowercase hex SHA-256 of the file's bytes. */
  checksum: string;
}

export interface RepeatableResult {
  /** Files this call applied, in order. */
  applied: string[];
  /** Files already applied with the same checksum. */
  skipped: string[];
}

/** Raised when a procedure file fails; its transaction was rolled back, the previous version stays. */
export class RepeatableMigrationFailedError extends Error {
  constructor(
    readonly fileName: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RepeatableMigrationFailedError';
  }
}

const FILE_NAME = /^\d{2}_[a-z0-9_]+\.sql$/;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** `prisma/sql` beside the workspace's `prisma/migrations`. */
export function findSqlDir(start: string = __dirname): string {
  const dir = join(dirname(findMigrationsDir(start)), 'sql');
  if (!existsSync(dir)) throw new Error(`No procedure sources directory ${dir}; pass sqlDir`);
  return dir;
}

/**
 * Every procedure file in the order they are applied: owners in SQL_OWNERS order, then file
 * names. Refuses, naming it, a folder that is no owner and a file not named `NN_topic.sql`, so
 * a typo never leaves a file silently unapplied. Dot files (editor swap files) are ignored.
 */
export function readRepeatableMigrations(sqlDir: string): RepeatableMigration[] {
  if (!existsSync(sqlDir)) throw new Error(`Procedure sources directory ${sqlDir} does not exist`);
  const owners = visible(sqlDir);
  for (const entry of owners) {
    if (!(SQL_OWNERS as readonly string[]).includes(entry) || !statSync(join(sqlDir, entry)).isDirectory()) {
      throw new Error(
        `${join(sqlDir, entry)} is not an owner folder: procedure sources live in <owner>/NN_topic.sql ` +
          `with <owner> one of ${SQL_OWNERS.join(', ')}`,
      );
    }
  }
  return SQL_OWNERS.filter((owner) => owners.includes(owner)).flatMap((owner) =>
    visible(join(sqlDir, owner)).map((file) => readRepeatable(sqlDir, owner, file)),
  );
}

function visible(dir: string): string[] {
  return readdirSync(dir)
    .filter((entry) => !entry.startsWith('.'))
    .sort();
}

function readRepeatable(sqlDir: string, owner: SqlOwner, file: string): RepeatableMigration {
  const name = `${owner}/${file}`;
  const path = join(sqlDir, owner, file);
  if (!FILE_NAME.test(file) || !statSync(path).isFile()) {
    throw new Error(`${path}: procedure sources are files named NN_topic.sql (two digits, lowercase topic)`);
  }
  const bytes = readFileSync(path);
  let script: string;
  try {
    script = utf8.decode(bytes);
  } catch {
    throw new Error(`Procedure file ${name} is not valid UTF-8`);
  }
  return { name, owner, script, checksum: migrationChecksum(bytes) };
}

const CREATE_TABLE = `
  CREATE TABLE IF NOT EXISTS public._repeatable_migrations (
    name       VARCHAR(255) PRIMARY KEY,
    checksum   VARCHAR(64) NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
  )`;

/** The recorded checksum of each applied file. */
export async function readRepeatableHistory(client: ClientBase): Promise<Map<string, string>> {
  await client.query(CREATE_TABLE);
  const { rows } = await client.query<{ name: string; checksum: string }>(
    'SELECT name, checksum FROM public._repeatable_migrations',
  );
  return new Map(rows.map((row) => [row.name, row.checksum]));
}

/**
 * Applies, in order, every file whose checksum differs from its recorded one (every file when
 * `reapply`), each in its own transaction with its row. Stops at the first failing file. The
 * caller holds the migration lock.
 */
export async function applyRepeatable(
  client: ClientBase,
  files: RepeatableMigration[],
  options: { reapply?: boolean; log?: (message: string) => void } = {},
): Promise<RepeatableResult> {
  const log = options.log ?? (() => undefined);
  const recorded = await readRepeatableHistory(client);
  const result: RepeatableResult = { applied: [], skipped: [] };
  for (const file of files) {
    if (!options.reapply && recorded.get(file.name) === file.checksum) {
      result.skipped.push(file.name);
      continue;
    }
    const started = performance.now();
    await applyRepeatableFile(client, file);
    log(`Applied ${file.name} (${Math.round(performance.now() - started)} ms)`);
    result.applied.push(file.name);
  }
  const gone = [...recorded.keys()].filter((name) => !files.some((file) => file.name === name));
  if (gone.length) {
    log(
      `Recorded procedure files no longer on disk: ${gone.join(', ')}. What they defined stays in ` +
        'the database until a file drops it (npm run db:check lists it).',
    );
  }
  return result;
}

/** Applies one file and records its checksum in one transaction; on failure nothing changes. */
export async function applyRepeatableFile(client: ClientBase, file: RepeatableMigration): Promise<void> {
  await client.query('BEGIN');
  try {
    // SET LOCAL ends with the transaction; the bookkeeping row below is qualified for that reason.
    await client.query(`SET LOCAL search_path TO ${ownerSearchPath(file.owner)}`);
    await client.query(file.script);
    await client.query(
      `INSERT INTO public._repeatable_migrations (name, checksum, applied_at) VALUES ($1, $2, clock_timestamp())
       ON CONFLICT (name) DO UPDATE SET checksum = EXCLUDED.checksum, applied_at = EXCLUDED.applied_at`,
      [file.name, file.checksum],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new RepeatableMigrationFailedError(
      file.name,
      `Procedure file ${file.name} failed and was rolled back (the database keeps its ` +
        `previous version): ${describeScriptError(error, file.script)}`,
      { cause: error },
    );
  }
}
