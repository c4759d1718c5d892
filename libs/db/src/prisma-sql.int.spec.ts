/**
 * The Prisma helpers against a real database: the PostgreSQL error inside Prisma's wrapping,
 * retried deadlocks, and idempotency in one interactive transaction (apply once, replay, reuse
 * refused, 20 racing retries applying once, a failure storing nothing).
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { Pool } from 'pg';
import { AppError } from '@trustno1/contracts';
import {
  createPool,
  createPrismaClient,
  databaseUnavailable,
  prismaStatement,
  prismaTransaction,
  requestHash,
  runIdempotentPrisma,
  sqlErrorOf,
  type PrismaClient,
  type PrismaDb,
} from '@trustno1/db';
import { createTestDatabase, type TestDatabase } from '@trustno1/testing';

describe('Prisma helpers', () => {
  let db: TestDatabase;
  let pool: Pool;
  let prisma: PrismaClient;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = createPool({ url: db.url, max: 12 });
    prisma = createPrismaClient(pool);
    await pool.query(`CREATE TABLE effects (id serial PRIMARY KEY, label text NOT NULL);
                      CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL);
                      INSERT INTO counters VALUES (1, 0), (2, 0)`);
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await pool?.end();
    await db?.drop();
  });

  const effect = (label: string) => async (tx: PrismaDb) => {
    const [row] = await tx.$queryRaw<
      { id: number }[]
    >`INSERT INTO effects (label) VALUES (${label}) RETURNING id`;
    return { id: row.id, label };
  };
  const count = async (label: string) =>
    Number((await pool.query(`SELECT count(*) AS n FROM effects WHERE label = $1`, [label])).rows[0].n);

  it('reads SQLSTATE, message and detail of a coded error through Prisma as through pg', async () => {
    const raise = `SELECT raise_error('SLOT_OCCUPIED', '{"gridX": 3}'::jsonb)`;
    const viaPrisma = await prisma.$queryRawUnsafe(raise).catch((e: unknown) => e);
    const viaPg = await pool.query(raise).catch((e: unknown) => e);
    const expected = { code: 'P0001', message: 'SLOT_OCCUPIED', detail: '{"gridX": 3}' };
    for (const error of [viaPrisma, viaPg]) {
      const sql = sqlErrorOf(error);
      assert.deepEqual({ code: sql?.code, message: sql?.message, detail: sql?.detail }, expected);
    }
    assert.equal(sqlErrorOf(new Error('not SQL')), undefined);
  });

  it('names the index of a unique violation through Prisma as pg does', async () => {
    await pool.query(`CREATE UNIQUE INDEX effects_label_lower ON effects (lower(label));
                      INSERT INTO effects (label) VALUES ('Unique')`);
    const duplicate = `INSERT INTO effects (label) VALUES ('UNIQUE')`;
    const viaPrisma = await prisma.$executeRawUnsafe(duplicate).catch((e: unknown) => e);
    const viaPg = await pool.query(duplicate).catch((e: unknown) => e);
    for (const error of [viaPrisma, viaPg]) {
      const sql = sqlErrorOf(error);
      assert.deepEqual(
        { code: sql?.code, constraint: sql?.constraint },
        {
          code: '23505',
          constraint: 'effects_label_lower',
        },
      );
    }
    await pool.query(`DROP INDEX effects_label_lower; DELETE FROM effects WHERE label = 'Unique'`);
  });

  it('runs READ COMMITTED by the session default and names the other levels', async () => {
    const level = (isolation?: 'serializable') =>
      prismaTransaction(
        prisma,
        async (tx) =>
          (
            await tx.$queryRaw<{ level: string }[]>`SELECT current_setting('transaction_isolation') AS level`
          )[0].level,
        { isolation },
      );
    assert.equal(await level(), 'read committed');
    assert.equal(await level('serializable'), 'serializable');
  });

  it('retries a deadlock inside an interactive transaction and never leaks it', async () => {
    let attempts = 0;
    // Both first attempts hold their first row before either asks for its second: a sure deadlock.
    let arrived = 0;
    let release: () => void = () => undefined;
    const bothHold = new Promise<void>((resolve) => (release = resolve));
    const cross = (first: number, second: number) =>
      prismaTransaction(prisma, async (tx) => {
        attempts++;
        await tx.$executeRaw`UPDATE counters SET n = n + 1 WHERE id = ${first}`;
        if (attempts <= 2) {
          if (++arrived === 2) release();
          await bothHold;
        }
        await tx.$executeRaw`UPDATE counters SET n = n + 1 WHERE id = ${second}`;
      });
    await Promise.all([cross(1, 2), cross(2, 1)]);
    assert.ok(attempts >= 3, `expected a retried deadlock, saw ${attempts} attempts`);
    const rows = (await pool.query(`SELECT n FROM counters ORDER BY id`)).rows.map((r) => r.n);
    assert.deepEqual(rows, [2, 2]);
  });

  it('retries a statement that fails with a serialization failure, and gives up after its attempts', async () => {
    let calls = 0;
    const flaky = () =>
      prismaStatement(async () => {
        calls++;
        if (calls < 3)
          await prisma.$queryRawUnsafe(`DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '40001'; END $$`);
        return 'done';
      });
    assert.equal(await flaky(), 'done');
    assert.equal(calls, 3);
    const always = prismaStatement(
      () => prisma.$queryRawUnsafe(`DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '40P01'; END $$`),
      { attempts: 2, backoffMs: 1 },
    ).catch((e: unknown) => e);
    const error = await always;
    assert.equal(databaseUnavailable(error)?.code, 'UNAVAILABLE');
  });

  it('applies once and replays the stored result for the same key and request', async () => {
    const claim = { principal: 'player:a', key: 'k-same', requestHash: requestHash('op', { n: 1 }) };
    const first = await runIdempotentPrisma(prisma, claim, effect('same'));
    const second = await runIdempotentPrisma(prisma, claim, effect('same'));
    assert.equal(first.replayed, false);
    assert.equal(second.replayed, true);
    assert.deepEqual(second.result, first.result);
    assert.equal(await count('same'), 1);
  });

  it('refuses the same key with another request and changes nothing', async () => {
    const key = { principal: 'player:a', key: 'k-other' };
    await runIdempotentPrisma(prisma, { ...key, requestHash: requestHash('op', { n: 1 }) }, effect('other'));
    await assert.rejects(
      runIdempotentPrisma(prisma, { ...key, requestHash: requestHash('op', { n: 2 }) }, effect('other')),
      (e: unknown) => e instanceof AppError && e.code === 'IDEMPOTENCY_KEY_REUSED',
    );
    assert.equal(await count('other'), 1);
  });

  it('applies once when 20 retries race with one key', async () => {
    const claim = { principal: 'server:s', key: 'k-race', requestHash: requestHash('op', { race: true }) };
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => runIdempotentPrisma(prisma, claim, effect('race'))),
    );
    assert.equal(outcomes.filter((o) => !o.replayed).length, 1);
    assert.equal(new Set(outcomes.map((o) => JSON.stringify(o.result))).size, 1);
    assert.equal(await count('race'), 1);
  });

  it('stores nothing when the work fails, so a retry applies', async () => {
    const claim = { principal: 'player:a', key: 'k-fail', requestHash: requestHash('op', {}) };
    await assert.rejects(
      runIdempotentPrisma(prisma, claim, async (tx) => {
        await effect('fail')(tx);
        throw new Error('crash before commit');
      }),
      /crash before commit/,
    );
    assert.equal(await count('fail'), 0);
    const retry = await runIdempotentPrisma(prisma, claim, effect('fail'));
    assert.equal(retry.replayed, false);
    assert.equal(await count('fail'), 1);
  });

  it('keeps the connection when PostgreSQL refuses a statement, and replaces a broken one', async () => {
    const single = createPool({ url: db.url, max: 1 });
    const client = createPrismaClient(single);
    try {
      const pid = async () =>
        (await client.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`)[0].pid;
      const before = await pid();
      await assert.rejects(client.$queryRaw`SELECT raise_error('SLOT_OCCUPIED')`);
      await assert.rejects(single.query(`SELECT 1/0`));
      assert.equal(await pid(), before, 'a refused statement must not cost a new backend');
      await pool.query(`SELECT pg_terminate_backend($1)`, [before]);
      // The first statement after the kill fails, unless the pool already saw the socket close.
      await client.$queryRaw`SELECT 1`.catch(() => undefined);
      assert.notEqual(await pid(), before, 'a broken connection is replaced');
    } finally {
      await client.$disconnect();
      await single.end();
    }
  });
});
