import type { Redis } from 'ioredis';
import { Pool } from 'pg';
import { createRedisClient } from '@trustno1/redis';
import { appEnv, startApp, type AppName, type RunningApp } from './apps';
import { createTestDatabase, type TestDatabase } from './database';
import { testInfra } from './infra';
import { createTestNamespace, type TestNamespace } from './namespaces';

/** The admin key every test cluster's gateway accepts. */
export const TEST_ADMIN_KEY = 'a'.repeat(40);

/** Apps of one spec file running as real processes on its own database and namespace. */
export interface TestCluster {
  db: TestDatabase;
  ns: TestNamespace;
  env: Record<string, string>;
  /** A pool on the file's database, for arranging rows and asserting on them. */
  pool: Pool;
  /** A Redis client inside the file's key prefix. */
  redis: Redis;
  /** What a BusClient needs to reach the file's services: `new BusClient({ ...cluster.bus, serviceName })`. */
  bus: { natsUrl: string; subjectPrefix: string };
  app(name: AppName): RunningApp;
  /** The gateway's base URL (when the cluster runs one). */
  url: string;
  /** Kills the apps, closes the clients, removes the namespace and drops the database. */
  stop(): Promise<void>;
}

/**
 * Starts `apps` (services first, the gateway last so it finds them) against a fresh database and
 * namespace: the `before()` of an end-to-end spec in one line, `after(() => cluster?.stop())` in another.
 */
export async function startCluster(apps: AppName[], extraEnv: Record<string, string> = {}): Promise<TestCluster> {
  const db = await createTestDatabase();
  const ns = createTestNamespace();
  const env = appEnv(db, ns, { ADMIN_API_KEY: TEST_ADMIN_KEY, ...extraEnv });
  const pool = new Pool({ connectionString: db.url, max: 4 });
  const redis = createRedisClient({ url: env.REDIS_URL, keyPrefix: ns.redisKeyPrefix, name: 'test-cluster' });
  const running = new Map<AppName, RunningApp>();
  const stop = async () => {
    await Promise.all([...running.values()].map((app) => app.kill()));
    redis.disconnect();
    await pool.end();
    await ns.cleanup();
    await db.drop();
  };
  try {
    const services = apps.filter((name) => name !== 'gateway');
    for (const app of await Promise.all(services.map((name) => startApp(name, env)))) running.set(app.name, app);
    if (apps.includes('gateway')) running.set('gateway', await startApp('gateway', env));
  } catch (error) {
    await stop();
    throw error;
  }
  const app = (name: AppName) => {
    const found = running.get(name);
    if (!found) throw new Error(`${name} is not part of this test cluster`);
    return found;
  };
  return {
    db,
    ns,
    env,
    pool,
    redis,
    bus: { natsUrl: testInfra().natsUrl, subjectPrefix: ns.natsSubjectPrefix },
    app,
    url: running.get('gateway')?.url ?? '',
    stop,
  };
}
