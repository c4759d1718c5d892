import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Pool } from 'pg';
import { createPool, queryRows } from '@trustno1/db';
import { createTestDatabase, type TestDatabase } from '@trustno1/testing';
import { LogsArchiveRepository } from './logs-archive.repository';
import { LogsArchiveService, monthsBefore, type ArchiveManifest } from './logs-archive.service';

function monthStart(offset: number): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
}

/** Creates combat_logs_YYYY_MM for the month `offset` months from now, named as ensure_partitions does. */
async function combatPartition(
  pool: Pool,
  offset: number,
  rows: number,
): Promise<{ name: string; ids: string[] }> {
  const from = monthStart(offset);
  const to = monthStart(offset + 1);
  const name = `combat_logs_${from.getUTCFullYear()}_${String(from.getUTCMonth() + 1).padStart(2, '0')}`;
  await pool.query('SELECT ensure_range_partition($1, $2, $3, $4)', ['combat_logs', name, from, to]);
  const ids = Array.from({ length: rows }, () => randomUUID());
  for (const [i, id] of ids.entries()) {
    await pool.query(
      `INSERT INTO combat_logs (id, damage, hit_location, position_victim, created_at) VALUES ($1, $2, 'head', $3, $4)`,
      [id, 10 + i, { x: i, z: -i }, new Date(from.getTime() + (i + 1) * 3_600_000)],
    );
  }
  return { name, ids };
}

async function readArchive(file: string): Promise<Record<string, unknown>[]> {
  const text = gunzipSync(await readFile(file)).toString('utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

describe('logs.archive', () => {
  let db: TestDatabase;
  let pool: Pool;
  let dir: string;
  let repository: LogsArchiveRepository;
  let service: LogsArchiveService;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = createPool({ url: db.url, max: 5 });
    dir = await mkdtemp(join(tmpdir(), 'tn1-archive-'));
    repository = new LogsArchiveRepository(pool);
    service = new LogsArchiveService(repository, { archiveDir: dir, monthsKept: 3, lockTimeoutMs: 300 });
  });

  afterAll(async () => {
    await pool.end();
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const exists = async (name: string) =>
    (await queryRows<{ oid: string | null }>(pool, 'SELECT to_regclass($1)::text AS oid', [name]))[0].oid !==
    null;

  it('archives partitions older than three months to readable gzip JSON lines, then drops them', async () => {
    const old = await combatPartition(pool, -5, 3);
    const year = monthStart(0).getUTCFullYear() - 2;
    const oldYear = `transactions_${year}`;
    await pool.query('SELECT ensure_range_partition($1, $2, $3, $4)', [
      'transactions',
      oldYear,
      new Date(Date.UTC(year, 0, 1)),
      new Date(Date.UTC(year + 1, 0, 1)),
    ]);
    await pool.query(
      `INSERT INTO transactions (id, item_template_id, quantity, total_price, transaction_type, created_at)
       VALUES ($1, 'wood', 5, 50, 'direct_trade', $3), ($2, 'stone', 1, 7, 'market_purchase', $3)`,
      [randomUUID(), randomUUID(), new Date(Date.UTC(year, 6, 1))],
    );
    const recent = randomUUID();
    await pool.query(`INSERT INTO combat_logs (id, damage, hit_location) VALUES ($1, 1, 'thorax')`, [recent]);

    const { archived } = await service.run(new Date());
    assert.deepEqual(
      archived.map((a) => [a.partition, a.rows]),
      [
        [old.name, 3],
        [oldYear, 2],
      ],
    );

    const file = join(dir, 'combat_logs', `${old.name}.jsonl.gz`);
    const rows = await readArchive(file);
    assert.deepEqual(rows.map((r) => r.id).sort(), [...old.ids].sort());
    assert.equal(rows[0].hit_location, 'head');
    assert.deepEqual(Object.keys(rows.find((r) => r.damage === 11)!.position_victim as object), ['x', 'z']);
    const manifest = JSON.parse(
      await readFile(join(dir, 'combat_logs', `${old.name}.manifest.json`), 'utf8'),
    ) as ArchiveManifest;
    assert.equal(manifest.rows, 3);
    assert.equal(manifest.sha256, await sha256(file));
    assert.equal((await readArchive(join(dir, 'transactions', `${oldYear}.jsonl.gz`))).length, 2);
    assert.equal(existsSync(`${file}.partial`), false);

    assert.equal(await exists(old.name), false);
    assert.equal(await exists(oldYear), false);
    const left = await queryRows<{ id: string }>(pool, 'SELECT id FROM combat_logs');
    assert.deepEqual(
      left.map((r) => r.id),
      [recent],
    );
    assert.equal(
      await exists(
        `combat_logs_${monthStart(0).getUTCFullYear()}_${String(monthStart(0).getUTCMonth() + 1).padStart(2, '0')}`,
      ),
      true,
    );
  });

  it('does nothing on a second run and leaves the archives as they were', async () => {
    const [name] = (await readdir(join(dir, 'combat_logs'))).filter((n) => n.endsWith('.jsonl.gz'));
    const file = join(dir, 'combat_logs', name);
    const before = await sha256(file);
    assert.deepEqual((await service.run(new Date())).archived, []);
    assert.equal(await sha256(file), before);
  });

  it('finishes the job after a crash between writing the archive and dropping the partition', async () => {
    const old = await combatPartition(pool, -6, 2);
    // A writer holding the partition makes the drop time out: the run dies after the archive is written.
    const blocker = await pool.connect();
    await blocker.query('BEGIN');
    await blocker.query(`LOCK TABLE ${old.name} IN ROW EXCLUSIVE MODE`);
    await assert.rejects(service.run(new Date()), /lock timeout/);
    await blocker.query('ROLLBACK');
    blocker.release();
    const file = join(dir, 'combat_logs', `${old.name}.jsonl.gz`);
    assert.equal(existsSync(file), true);
    assert.equal(await exists(old.name), true);

    const { archived } = await service.run(new Date());
    assert.deepEqual(
      archived.map((a) => [a.partition, a.rows]),
      [[old.name, 2]],
    );
    assert.equal(await exists(old.name), false);
    assert.deepEqual((await readArchive(file)).map((r) => r.id).sort(), [...old.ids].sort());
  });

  it('refuses to drop a partition that changed since its archive was written', async () => {
    const old = await combatPartition(pool, -7, 2);
    const [part] = (await repository.partitionsEndingBy(monthsBefore(new Date(), 3))).filter(
      (p) => p.partition === old.name,
    );
    await assert.rejects(repository.dropIfUnchanged(part, 1, 300), /has 2 rows, the archive 1; not dropped/);
    assert.equal(await exists(old.name), true);
  });

  it('skips a run while another one holds the lock', async () => {
    const other = await pool.connect();
    try {
      await other.query("SELECT pg_advisory_lock(hashtext('logs.archive'))");
      assert.deepEqual(await service.run(new Date()), { archived: [], skipped: 'locked' });
    } finally {
      await other.query("SELECT pg_advisory_unlock(hashtext('logs.archive'))");
      other.release();
    }
  });
});

describe('monthsBefore', () => {
  it('steps back calendar months in UTC and clamps the day', () => {
    assert.equal(monthsBefore(new Date('2026-05-31T12:00:00Z'), 3).toISOString(), '2026-02-28T12:00:00.000Z');
    assert.equal(monthsBefore(new Date('2026-02-15T00:00:00Z'), 3).toISOString(), '2025-11-15T00:00:00.000Z');
  });
});
