import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import type { Job } from 'bullmq';
import type { Pool } from 'pg';
import { createPool, createPrismaClient, queryRows, type PrismaClient } from '@trustno1/db';
import { ProcessorRegistry } from '@trustno1/queues';
import { createTestDatabase, type TestDatabase } from '@trustno1/testing';
import { PartitionsProcessor } from './partitions.processor';
import { PartitionsRepository } from './partitions.repository';

/** The partition names ensure_partitions uses for the month `offset` months from now (UTC). */
function namesFor(offset: number): { month: string; year: string; from: Date } {
  const now = new Date();
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
  const mm = String(from.getUTCMonth() + 1).padStart(2, '0');
  return {
    month: `combat_logs_${from.getUTCFullYear()}_${mm}`,
    year: `transactions_${from.getUTCFullYear()}`,
    from,
  };
}

describe('partitions.ensure', () => {
  let db: TestDatabase;
  let pool: Pool;
  let prisma: PrismaClient;
  let registry: ProcessorRegistry;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = createPool({ url: db.url, max: 3 });
    prisma = createPrismaClient(pool);
    registry = new ProcessorRegistry();
    new PartitionsProcessor(registry, new PartitionsRepository(prisma)).onModuleInit();
  });

  afterAll(async () => {
    await prisma.$disconnect();
    await pool.end();
    await db.drop();
  });

  const run = () =>
    registry.handlerFor('schedules')({
      name: 'partitions.ensure',
      id: 'partitions.ensure.test',
      timestamp: Date.now(),
      opts: {},
    } as Job) as Promise<{
      created: string[];
    }>;

  const exists = async (name: string) =>
    (await queryRows<{ oid: string | null }>(pool, 'SELECT to_regclass($1)::text AS oid', [name]))[0].oid !==
    null;

  it('creates the partitions of the months ahead that are missing, with the right bounds', async () => {
    const ahead = namesFor(3);
    const next = namesFor(1);
    await pool.query(`DROP TABLE IF EXISTS ${ahead.month}, ${next.month}`);
    assert.equal(await exists(ahead.month), false);

    const { created } = await run();
    assert.ok(created.includes(ahead.month), `created ${created.join(', ')}`);
    assert.ok(created.includes(next.month));
    assert.equal(await exists(ahead.month), true);
    const [bound] = await queryRows<{ bound: string }>(
      pool,
      'SELECT pg_get_expr(relpartbound, oid) AS bound FROM pg_class WHERE relname = $1',
      [ahead.month],
    );
    const [{ lo }] = await queryRows<{ lo: Date }>(
      pool,
      `SELECT (regexp_match($1, 'FROM \\(''([^'']+)''\\)'))[1]::timestamptz AS lo`,
      [bound.bound],
    );
    assert.equal(lo.getTime(), ahead.from.getTime());
    assert.equal(await exists(ahead.year), true);
  });

  it('is idempotent', async () => {
    assert.deepEqual((await run()).created, []);
  });
});
