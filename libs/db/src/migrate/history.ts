import { randomUUID } from 'node:crypto';
import type { ClientBase } from 'pg';
import { checksumMatches } from './checksum';
import type { LocalMigration } from './migration-files';

/** A row of `_prisma_migrations`, the history table Prisma Migrate reads and writes. */
export interface AppliedMigration {
  id: string;
  checksum: string;
  finishedAt: Date | null;
  migrationName: string;
  logs: string | null;
  rolledBackAt: Date | null;
  startedAt: Date;
  appliedStepsCount: number;
}

/** Raised when the recorded history and the migrations directory disagree. */
export class MigrationHistoryError extends Error {
  constructor(
    readonly migrationName: string,
    message: string,
  ) {
    super(message);
    this.name = 'MigrationHistoryError';
  }
}

// Column for column what the schema engine creates, so `prisma migrate deploy` can take over.
const CREATE_HISTORY_TABLE = `
  CREATE TABLE IF NOT EXISTS public._prisma_migrations (
    id                  VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum            VARCHAR(64) NOT NULL,
    finished_at         TIMESTAMPTZ,
    migration_name      VARCHAR(255) NOT NULL,
    logs                TEXT,
    rolled_back_at      TIMESTAMPTZ,
    started_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count INTEGER NOT NULL DEFAULT 0
  )`;

export async function ensureHistoryTable(client: ClientBase): Promise<void> {
  await client.query(CREATE_HISTORY_TABLE);
}

interface HistoryRow {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

export async function readHistory(client: ClientBase): Promise<AppliedMigration[]> {
  const { rows } = await client.query<HistoryRow>(
    `SELECT id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at,
            applied_steps_count
       FROM public._prisma_migrations
      ORDER BY started_at, migration_name`,
  );
  return rows.map((row) => ({
    id: row.id,
    checksum: row.checksum,
    finishedAt: row.finished_at,
    migrationName: row.migration_name,
    logs: row.logs,
    rolledBackAt: row.rolled_back_at,
    startedAt: row.started_at,
    appliedStepsCount: row.applied_steps_count,
  }));
}

/** Rows Prisma counts as applied: a rolled-back row means "apply this migration again". */
export function activeHistory(history: AppliedMigration[]): AppliedMigration[] {
  return history.filter((row) => row.rolledBackAt === null);
}

/**
 * Refuses to go on, naming the migration, when a recorded migration failed and was never
 * resolved, when an applied migration's directory is gone, or when its script changed since it
 * was applied.
 */
export function verifyHistory(history: AppliedMigration[], local: LocalMigration[]): void {
  const byName = new Map(local.map((migration) => [migration.name, migration]));
  for (const row of activeHistory(history)) {
    const name = row.migrationName;
    if (row.finishedAt === null) {
      throw new MigrationHistoryError(
        name,
        `Migration ${name} started at ${row.startedAt.toISOString()} failed and was never resolved` +
          `${row.logs ? `: ${row.logs.trim()}` : ''}. Fix the database by hand, then mark it with ` +
          `\`prisma migrate resolve --applied ${name}\` or \`--rolled-back ${name}\`.`,
      );
    }
    const migration = byName.get(name);
    if (!migration) {
      throw new MigrationHistoryError(
        name,
        `Migration ${name} is recorded as applied but its directory is missing from the migrations directory.`,
      );
    }
    if (!checksumMatches(migration.script, row.checksum)) {
      throw new MigrationHistoryError(
        name,
        `Migration ${name} was modified after it was applied (recorded checksum ${row.checksum}, ` +
          `file checksum ${migration.checksum}). Migrations are forward-only: revert the edit and ` +
          `add a new migration instead.`,
      );
    }
  }
}

/** Records a migration applied in the caller's transaction, as `prisma migrate deploy` would. */
export async function recordApplied(client: ClientBase, migration: LocalMigration): Promise<void> {
  await client.query(
    `INSERT INTO public._prisma_migrations
       (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
     VALUES ($1, $2, clock_timestamp(), $3, NULL, NULL, now(), 1)`,
    [randomUUID(), migration.checksum, migration.name],
  );
}

/**
 * Keeps a trace of a failed attempt. Its transaction rolled back, so the row is marked rolled
 * back: nothing is left to repair and the next run (ours or Prisma's) simply retries it.
 */
export async function recordRolledBack(
  client: ClientBase,
  migration: LocalMigration,
  logs: string,
): Promise<void> {
  await client.query(
    `INSERT INTO public._prisma_migrations
       (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
     VALUES ($1, $2, NULL, $3, $4, now(), now(), 0)`,
    [randomUUID(), migration.checksum, migration.name, logs],
  );
}
