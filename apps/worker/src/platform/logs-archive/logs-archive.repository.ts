import { Inject, Injectable } from '@nestjs/common';
import { escapeLiteral, type Pool, type PoolClient } from 'pg';
import { PG_POOL, queryRows, withTransaction } from '@trustno1/db';

/** The partitioned log tables whose old partitions go to cold storage. */
export const ARCHIVED_TABLES = ['combat_logs', 'transactions'] as const;
export type ArchivedTable = (typeof ARCHIVED_TABLES)[number];

/** The schema of each archived table: its owner's (docs/architecture.md "Data ownership"). */
const QUALIFIED: Record<ArchivedTable, string> = {
  combat_logs: 'combat.combat_logs',
  transactions: 'market.transactions',
};

export interface LogPartition {
  table: ArchivedTable;
  partition: string;
  from: Date;
  to: Date;
}

const FETCH_ROWS = 5_000;

/**
 * Stays on pg, not the shared Prisma client: it needs a session of its own for the run's advisory
 * lock (held across the whole export, outside any transaction) and a server-side cursor, and
 * Prisma hands out a connection only for the length of one statement or one transaction.
 */
@Injectable()
export class LogsArchiveRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * Runs `work` while holding a session advisory lock, or returns undefined when another run holds
   * it (a stalled job re-delivered while the first still runs). A crash ends the session and so
   * releases the lock.
   */
  async withRunLock<T>(work: () => Promise<T>): Promise<T | undefined> {
    const client = await this.pool.connect();
    try {
      const [row] = await queryRows<{ ok: boolean }>(
        client,
        "SELECT pg_try_advisory_lock(hashtext('logs.archive')) AS ok",
      );
      if (!row.ok) return undefined;
      try {
        return await work();
      } finally {
        await client.query("SELECT pg_advisory_unlock(hashtext('logs.archive'))");
      }
    } finally {
      client.release();
    }
  }

  /** Dated partitions of the archived tables whose upper bound is at or before `cutoff`. */
  async partitionsEndingBy(cutoff: Date): Promise<LogPartition[]> {
    // The bounds come from the catalog, not from the names, so a renamed partition is still judged right.
    const rows = await queryRows<LogPartition>(
      this.pool,
      `WITH parts AS (
         SELECT parent.relname AS "table", child.relname AS partition,
                pg_get_expr(child.relpartbound, child.oid) AS bound
           FROM pg_inherits i
           JOIN pg_class parent ON parent.oid = i.inhparent
           JOIN pg_class child ON child.oid = i.inhrelid
          WHERE parent.oid IN (SELECT to_regclass(t) FROM unnest($1::text[]) AS t)
       ), bounded AS (
         SELECT "table", partition,
                (regexp_match(bound, 'FROM \\(''([^'']+)''\\)'))[1]::timestamptz AS "from",
                (regexp_match(bound, 'TO \\(''([^'']+)''\\)'))[1]::timestamptz AS "to"
           FROM parts
          WHERE bound <> 'DEFAULT'
       )
       SELECT * FROM bounded WHERE "to" <= $2 ORDER BY "table", "from"`,
      [ARCHIVED_TABLES.map((table) => QUALIFIED[table]), cutoff],
    );
    return rows;
  }

  /**
   * Every row of a partition as a JSON line, in primary-key order from one snapshot (so a re-run
   * writes the same file), fetched in batches through a cursor to bound memory. Read through the
   * parent within the partition's bounds, the same rows: the worker may read the parents only.
   */
  async *rowsOf(part: LogPartition): AsyncGenerator<string> {
    const client = await this.pool.connect();
    let open = false;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      open = true;
      await client.query("SET LOCAL TimeZone = 'UTC'");
      await client.query(
        `DECLARE archive_rows NO SCROLL CURSOR FOR
         SELECT row_to_json(t)::text AS line FROM ${QUALIFIED[part.table]} t
          WHERE created_at >= ${escapeLiteral(part.from.toISOString())}::timestamptz
            AND created_at < ${escapeLiteral(part.to.toISOString())}::timestamptz
          ORDER BY id, created_at`,
      );
      for (;;) {
        const rows = await queryRows<{ line: string }>(client, `FETCH ${FETCH_ROWS} FROM archive_rows`);
        if (rows.length === 0) break;
        for (const row of rows) yield row.line;
      }
      await client.query('COMMIT');
      open = false;
    } finally {
      // Reached early when the consumer fails: never hand a client back mid-transaction.
      if (open) await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }

  /**
   * Detaches and drops a partition (platform.drop_archived_partition, which runs as the tables'
   * owner), but only if it still holds exactly `expectedRows` (the archived count): a late write
   * since the export aborts the drop, and the next run archives again. A short lock_timeout keeps
   * this from queueing ahead of the hot parent table's writers.
   */
  async dropIfUnchanged(part: LogPartition, expectedRows: number, lockTimeoutMs: number): Promise<void> {
    await withTransaction(this.pool, async (client: PoolClient) => {
      await client.query(`SET LOCAL lock_timeout = ${Math.round(lockTimeoutMs)}`);
      await client.query('SELECT platform.drop_archived_partition($1, $2, $3)', [
        part.table,
        part.partition,
        expectedRows,
      ]);
    });
  }
}
