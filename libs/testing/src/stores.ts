import type { Redis } from 'ioredis';
import { Pool } from 'pg';
import { createRedisClient } from '@trustno1/redis';
import { createTestDatabase, type TestDatabase } from './database';
import { testInfra } from './infra';
import { createTestNamespace, type TestNamespace } from './namespaces';

/** A spec file's own PostgreSQL database and Redis namespace, with a client for each. */
export interface TestStores {
  db: TestDatabase;
  ns: TestNamespace;
  /** A pool on the file's database. */
  pool: Pool;
  /** A Redis client inside the file's key prefix (connects on first command). */
  redis: Redis;
  /** Closes the clients, removes the namespace's keys and drops the database. */
  close(): Promise<void>;
}

/** The `before()` of an integration spec in one line; `after(() => stores?.close())` in another. */
export async function openTestStores(poolSize = 4): Promise<TestStores> {
  const db = await createTestDatabase();
  const ns = createTestNamespace();
  const pool = new Pool({ connectionString: db.url, max: poolSize });
  // An idle client cut off by the forced drop at teardown is expected, not a test failure.
  pool.on('error', () => undefined);
  const redis = createRedisClient({
    url: testInfra().redisUrl,
    keyPrefix: ns.redisKeyPrefix,
    name: 'test-stores',
  });
  return {
    db,
    ns,
    pool,
    redis,
    close: async () => {
      redis.disconnect();
      await pool.end();
      await ns.cleanup();
      await db.drop();
    },
  };
}
