import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { Pool, type PoolClient } from 'pg';
import { AppError } from '@trustno1/contracts';
import { idempotencyClaim, requestHash, runIdempotent, withTransaction } from '@trustno1/db';
import { createTestDatabase, type TestDatabase } from '@trustno1/testing';

describe('runIdempotent', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 12 });
    await pool.query(`CREATE TABLE effects (id serial PRIMARY KEY, label text NOT NULL)`);
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  const effect = (label: string) => async (tx: PoolClient) => {
    const row = await tx.query<{ id: number }>(`INSERT INTO effects (label) VALUES ($1) RETURNING id`, [
      label,
    ]);
    return { id: row.rows[0].id, label };
  };
  const count = async (label: string) =>
    Number((await pool.query(`SELECT count(*) AS n FROM effects WHERE label = $1`, [label])).rows[0].n);

  it('applies once and replays the stored result for the same key and request', async () => {
    const claim = { principal: 'player:a', key: 'k-same', requestHash: requestHash('op', { n: 1 }) };
    const first = await runIdempotent(pool, claim, effect('same'));
    const second = await runIdempotent(pool, claim, effect('same'));
    assert.equal(first.replayed, false);
    assert.equal(second.replayed, true);
    assert.deepEqual(second.result, first.result);
    assert.equal(await count('same'), 1);
  });

  it('refuses the same key with another request and changes nothing', async () => {
    const key = { principal: 'player:a', key: 'k-other' };
    await runIdempotent(pool, { ...key, requestHash: requestHash('op', { n: 1 }) }, effect('other'));
    await assert.rejects(
      runIdempotent(pool, { ...key, requestHash: requestHash('op', { n: 2 }) }, effect('other')),
      (e: unknown) => e instanceof AppError && e.code === 'IDEMPOTENCY_KEY_REUSED',
    );
    assert.equal(await count('other'), 1);
  });

  it('scopes keys by principal', async () => {
    const hash = requestHash('op', {});
    await runIdempotent(pool, { principal: 'player:a', key: 'k-scope', requestHash: hash }, effect('scope'));
    await runIdempotent(pool, { principal: 'player:b', key: 'k-scope', requestHash: hash }, effect('scope'));
    assert.equal(await count('scope'), 2);
  });

  it('applies once when 20 retries race with one key', async () => {
    const claim = { principal: 'server:s', key: 'k-race', requestHash: requestHash('op', { race: true }) };
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => runIdempotent(pool, claim, effect('race'))),
    );
    assert.equal(outcomes.filter((o) => !o.replayed).length, 1);
    assert.equal(new Set(outcomes.map((o) => JSON.stringify(o.result))).size, 1);
    assert.equal(await count('race'), 1);
  });

  it('stores nothing when the work fails, so a retry applies', async () => {
    const claim = { principal: 'player:a', key: 'k-fail', requestHash: requestHash('op', {}) };
    await assert.rejects(
      runIdempotent(pool, claim, async (tx) => {
        await effect('fail')(tx);
        throw new Error('crash before commit');
      }),
      /crash before commit/,
    );
    assert.equal(await count('fail'), 0);
    const retry = await runIdempotent(pool, claim, effect('fail'));
    assert.equal(retry.replayed, false);
    assert.equal(await count('fail'), 1);
  });

  it('keeps a secret out of the stored result when asked, and replays without it', async () => {
    const claim = { principal: 'admin', key: 'k-secret', requestHash: requestHash('op', {}) };
    const work = async (tx: PoolClient) => ({ ...(await effect('secret')(tx)), secret: 's3cr3t-value' });
    const storeAs = (r: { id: number; label: string; secret: string | null }) => ({ ...r, secret: null });
    const first = await runIdempotent(pool, claim, work, { storeAs });
    const replay = await runIdempotent(pool, claim, work, { storeAs });
    assert.equal(first.result.secret, 's3cr3t-value');
    assert.deepEqual(replay.result, { id: first.result.id, label: 'secret', secret: null });
    const row = await pool.query(`SELECT response::text AS r FROM idempotency_keys WHERE key = 'k-secret'`);
    assert.ok(!row.rows[0].r.includes('s3cr3t-value'));
    assert.equal(await count('secret'), 1);
  });

  it('refuses an oversize key before touching the database', async () => {
    await assert.rejects(
      runIdempotent(
        pool,
        { principal: 'p', key: 'x'.repeat(256), requestHash: requestHash('op', {}) },
        effect('big'),
      ),
      (e: unknown) => e instanceof AppError && e.code === 'VALIDATION_FAILED',
    );
    assert.equal(await count('big'), 0);
  });
});

describe('withTransaction', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 4 });
    await pool.query(
      `CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL); INSERT INTO counters VALUES (1, 0), (2, 0)`,
    );
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('retries a deadlock and never leaks it', async () => {
    // Two transactions lock rows 1 and 2 in opposite order; PostgreSQL kills one with 40P01.
    let attempts = 0;
    // Both first attempts hold their first row before either asks for its second: a sure deadlock,
    // however slow the machine (a fixed sleep let a loaded runner miss the overlap).
    let arrived = 0;
    let release: () => void = () => undefined;
    const bothHold = new Promise<void>((resolve) => (release = resolve));
    const cross = (first: number, second: number) =>
      withTransaction(pool, async (tx) => {
        attempts++;
        await tx.query(`UPDATE counters SET n = n + 1 WHERE id = $1`, [first]);
        if (attempts <= 2) {
          if (++arrived === 2) release();
          await bothHold;
        }
        await tx.query(`UPDATE counters SET n = n + 1 WHERE id = $1`, [second]);
      });
    await Promise.all([cross(1, 2), cross(2, 1)]);
    assert.ok(attempts >= 3, `expected a retried deadlock, saw ${attempts} attempts`);
    const rows = (await pool.query(`SELECT n FROM counters ORDER BY id`)).rows.map((r) => r.n);
    assert.deepEqual(rows, [2, 2]);
  });
});

describe('idempotencyClaim', () => {
  it('scopes a key to its principal and pins it to the subject and payload; no key, no claim', () => {
    const server = { kind: 'server', serverId: 's-1', region: 'eu' } as const;
    const claim = idempotencyClaim(
      'inventory.item.move.v1',
      { itemId: 'i-1' },
      {
        principal: server,
        idempotencyKey: 'k-1',
      },
    );
    assert.deepEqual(claim, {
      principal: 'server:s-1',
      key: 'k-1',
      requestHash: requestHash('inventory.item.move.v1', { itemId: 'i-1' }),
    });
    const otherBody = idempotencyClaim(
      'inventory.item.move.v1',
      { itemId: 'i-2' },
      {
        principal: server,
        idempotencyKey: 'k-1',
      },
    );
    assert.notEqual(otherBody?.requestHash, claim?.requestHash);
    assert.equal(idempotencyClaim('inventory.item.move.v1', {}, { principal: server }), undefined);
    assert.equal(
      idempotencyClaim('inventory.item.move.v1', {}, { principal: server, idempotencyKey: '' }),
      undefined,
    );
  });
});
