import { appEnv, startApp, type AppName, type RunningApp } from './apps';
import { testInfra } from './infra';
import { openTestStores, type TestStores } from './stores';

/** The admin key every test cluster's gateway accepts. */
export const TEST_ADMIN_KEY = 'a'.repeat(40);

/** Apps of one spec file running as real processes on its own database and namespace. */
export interface TestCluster extends Omit<TestStores, 'close'> {
  env: Record<string, string>;
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
export async function startCluster(
  apps: AppName[],
  extraEnv: Record<string, string> = {},
): Promise<TestCluster> {
  const stores = await openTestStores();
  const env = appEnv(stores.db, stores.ns, { ADMIN_API_KEY: TEST_ADMIN_KEY, ...extraEnv });
  const running = new Map<AppName, RunningApp>();
  const stop = async () => {
    await Promise.all([...running.values()].map((app) => app.kill()));
    await stores.close();
  };
  try {
    const services = apps.filter((name) => name !== 'gateway');
    for (const app of await Promise.all(services.map((name) => startApp(name, env))))
      running.set(app.name, app);
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
  const { db, ns, pool, redis } = stores;
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
