import type { Client } from 'pg';
import { connect } from './database';
import {
  activeHistory,
  ensureHistoryTable,
  readHistory,
  recordApplied,
  recordRolledBack,
  verifyHistory,
} from './history';
import { findMigrationsDir, readMigrations, type LocalMigration } from './migration-files';
import { applyRepeatable, findSqlDir, readRepeatableMigrations, type RepeatableResult } from './repeatable';
import { describeScriptError } from './script-error';

export { checksumMatches, migrationChecksum } from './checksum';
export { createDatabaseIfMissing, databaseName, redactUrl } from './database';
export { MigrationHistoryError, type AppliedMigration } from './history';
export { findMigrationsDir, readMigrations, type LocalMigration } from './migration-files';
export {
  findSqlDir,
  readRepeatableMigrations,
  RepeatableMigrationFailedError,
  SQL_OWNERS,
  type RepeatableMigration,
  type RepeatableResult,
  type SqlOwner,
} from './repeatable';

export interface ApplyMigrationsOptions {
  databaseUrl: string;
  /** Defaults to the workspace's prisma/migrations. */
  migrationsDir?: string;
  /**
   * The procedure sources (`<owner>/NN_topic.sql`) applied as repeatable migrations after the
   * versioned ones. Defaults to the workspace's prisma/sql when `migrationsDir` is defaulted too;
   * with an explicit `migrationsDir` and no `sqlDir`, there are none.
   */
  sqlDir?: string;
  /** Applies every procedure file again, changed or not (after a hand edit in the database). */
  reapply?: boolean;
  log?: (message: string) => void;
}

export interface ApplyMigrationsResult {
  /** Migrations this call applied, in order. */
  applied: string[];
  /** Migrations that were already applied. */
  skipped: string[];
  /** The procedure files, when there were any to look at. */
  repeatable?: RepeatableResult;
}

/** Raised when a migration script fails; its transaction was rolled back. */
export class MigrationFailedError extends Error {
  constructor(
    readonly migrationName: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MigrationFailedError';
  }
}

/**
 * The advisory lock key Prisma Migrate takes, so this applier, other replicas running it and
 * `prisma migrate deploy` all wait for each other instead of racing.
 */
export const MIGRATION_LOCK_KEY = 72707369;

/**
 * Applies every not-yet-applied migration directory in lexical order, each in its own transaction
 * together with its `_prisma_migrations` row, after checking that the recorded history still
 * matches the directory (no failed, missing or edited migration). Then, under the same lock,
 * applies each procedure file whose checksum changed (repeatable migrations, ./repeatable.ts).
 */
export async function applyMigrations(options: ApplyMigrationsOptions): Promise<ApplyMigrationsResult> {
  const log = options.log ?? (() => undefined);
  const local = readMigrations(options.migrationsDir ?? findMigrationsDir());
  const sqlDir = options.sqlDir ?? (options.migrationsDir === undefined ? findSqlDir() : undefined);
  // Read before connecting, so a misplaced file fails before anything is applied.
  const procedures = sqlDir === undefined ? undefined : readRepeatableMigrations(sqlDir);
  const client = await connect(options.databaseUrl);
  try {
    await acquireLock(client, log);
    const result = await applyPending(client, local, log);
    if (procedures === undefined) return result;
    return {
      ...result,
      repeatable: await applyRepeatable(client, procedures, { reapply: options.reapply, log }),
    };
  } finally {
    // Ending the session releases the advisory lock too, even when the connection broke.
    await client.end().catch(() => undefined);
  }
}

async function acquireLock(client: Client, log: (message: string) => void): Promise<void> {
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
    MIGRATION_LOCK_KEY,
  ]);
  if (rows[0].locked) return;
  log('Another process is migrating this database; waiting for it to finish');
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
}

async function applyPending(
  client: Client,
  local: LocalMigration[],
  log: (message: string) => void,
): Promise<ApplyMigrationsResult> {
  await ensureHistoryTable(client);
  const history = await readHistory(client);
  verifyHistory(history, local);
  const done = new Set(activeHistory(history).map((row) => row.migrationName));
  const result: ApplyMigrationsResult = { applied: [], skipped: [] };
  for (const migration of local) {
    if (done.has(migration.name)) {
      result.skipped.push(migration.name);
      continue;
    }
    const started = performance.now();
    await applyOne(client, migration);
    log(`Applied ${migration.name} (${Math.round(performance.now() - started)} ms)`);
    result.applied.push(migration.name);
  }
  return result;
}

// The script and its history row commit together, so a crash or an error leaves either both or
// neither. Scripts therefore must not contain BEGIN/COMMIT or statements that refuse to run in a
// transaction block (CREATE INDEX CONCURRENTLY, VACUUM), the same limit `prisma migrate deploy`
// has on PostgreSQL.
async function applyOne(client: Client, migration: LocalMigration): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(migration.script);
    await recordApplied(client, migration);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    const reason = describeScriptError(error, migration.script);
    // Best effort: the trace is for operators; the thrown error already says everything.
    await recordRolledBack(client, migration, reason).catch(() => undefined);
    throw new MigrationFailedError(
      migration.name,
      `Migration ${migration.name} failed and was rolled back: ${reason}`,
      { cause: error },
    );
  }
}
