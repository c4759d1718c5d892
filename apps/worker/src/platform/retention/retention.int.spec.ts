/**
 * Issue 11, bounded growth: retention.purge against real PostgreSQL and Redis. Past their windows,
 * idempotency records, published outbox rows, processed-event records, combat's seen hit ids and dead members of
 * sessions:active go; everything younger, every unpublished outbox row and every live session
 * stays; the counts reach the metric; a backlog larger than one batch drains in one run.
 */
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createPrismaClient, type PrismaClient } from '@trustno1/db';
import { AppMetrics } from '@trustno1/observability';
import { ProcessorRegistry } from '@trustno1/queues';
import { RedisKeys } from '@trustno1/redis';
import { openTestStores, type TestStores } from '@trustno1/testing';
import { Registry } from 'prom-client';
import type { WorkerAppConfig } from '../../worker.config';
import { RetentionProcessor } from './retention.processor';
import { PURGE_BATCH, RetentionRepository } from './retention.repository';

const HOUR = 3_600_000;

describe('retention.purge', () => {
  let stores: TestStores;
  let prisma: PrismaClient;
  let metrics: AppMetrics;
  let processor: RetentionProcessor;
  const now = new Date('2026-12-03T12:00:00Z');
  const ago = (hours: number) => new Date(now.getTime() - hours * HOUR);
  const config = {
    IDEMPOTENCY_RETENTION_HOURS: 48,
    OUTBOX_RETENTION_HOURS: 72,
    PROCESSED_EVENTS_RETENTION_DAYS: 14,
  } as WorkerAppConfig;

  beforeAll(async () => {
    stores = await openTestStores();
    prisma = createPrismaClient(stores.pool);
    metrics = new AppMetrics(new Registry());
    processor = new RetentionProcessor(
      new ProcessorRegistry(),
      new RetentionRepository(prisma, stores.redis),
      config,
      metrics,
    );
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await stores?.close();
  });

  const count = async (sql: string) => Number((await stores.pool.query(sql)).rows[0].n);

  it('removes only what is past its retention, and counts it', async () => {
    const { pool, redis } = stores;
    await pool.query(
      `INSERT INTO idempotency_keys (principal, key, request_hash, created_at)
       VALUES ('server:a', 'old', repeat('a', 64), $1), ('server:a', 'young', repeat('a', 64), $2)`,
      [ago(49), ago(47)],
    );
    await pool.query(
      `INSERT INTO outbox (subject, payload, created_at, published_at) VALUES
         ('evt.x.old.v1', '{}', $1, $1),          -- published long ago: goes
         ('evt.x.recent.v1', '{}', $2, $2),       -- published recently: stays
         ('evt.x.stuck.v1', '{}', $1, NULL)       -- never published: stays, whatever its age`,
      [ago(100), ago(10)],
    );
    await pool.query(
      `INSERT INTO processed_events (consumer, event_id, processed_at) VALUES ('c', $1, $2), ('c', $3, $4)`,
      [randomUUID(), ago(15 * 24), randomUUID(), ago(13 * 24)],
    );
    await pool.query(
      `INSERT INTO combat.seen_hits (hit_id, server_id, applied, seen_at)
       VALUES ($1, $3, true, $4), ($2, $3, true, $5)`,
      [randomUUID(), randomUUID(), randomUUID(), ago(49), ago(47)],
    );
    const [live, expired] = [randomUUID(), randomUUID()];
    await redis.hset(RedisKeys.session(live), { accountId: randomUUID() });
    await redis.sadd(RedisKeys.sessionsActive(), live, expired);

    const report = await processor.run(now);

    assert.deepEqual(report, { idempotencyKeys: 1, outbox: 1, processedEvents: 1, seenHits: 1, sessions: 1 });
    assert.equal(
      await count(
        `SELECT count(*) AS n FROM combat.seen_hits WHERE seen_at > $1`.replace(
          '$1',
          `'${ago(48).toISOString()}'`,
        ),
      ),
      1,
    );
    assert.equal(await count(`SELECT count(*) AS n FROM idempotency_keys WHERE key = 'young'`), 1);
    assert.equal(await count(`SELECT count(*) AS n FROM idempotency_keys WHERE key = 'old'`), 0);
    const outbox = (await pool.query(`SELECT subject FROM outbox ORDER BY subject`)).rows.map(
      (r) => r.subject,
    );
    assert.deepEqual(outbox, ['evt.x.recent.v1', 'evt.x.stuck.v1']);
    assert.equal(await count(`SELECT count(*) AS n FROM processed_events`), 1);
    assert.deepEqual(await redis.smembers(RedisKeys.sessionsActive()), [live]);
    const text = await metrics.registry.metrics();
    for (const what of ['idempotencyKeys', 'outbox', 'processedEvents', 'seenHits', 'sessions'])
      assert.match(text, new RegExp(`tn1_retention_removed_total\\{what="${what}"\\} 1`));

    // A second run finds nothing more.
    assert.deepEqual(await processor.run(now), {
      idempotencyKeys: 0,
      outbox: 0,
      processedEvents: 0,
      seenHits: 0,
      sessions: 0,
    });
  });

  it('drains a backlog larger than one batch in one run', async () => {
    await stores.pool.query(
      `INSERT INTO idempotency_keys (principal, key, request_hash, created_at)
       SELECT 'server:b', 'k' || g, repeat('b', 64), $1 FROM generate_series(1, $2) g`,
      [ago(100), PURGE_BATCH + 7],
    );
    const report = await processor.run(now);
    assert.equal(report.idempotencyKeys, PURGE_BATCH + 7);
    assert.equal(await count(`SELECT count(*) AS n FROM idempotency_keys WHERE principal = 'server:b'`), 0);
  });
});
