/**
 * Finds the test suite's infrastructure. PostgreSQL and Redis: the URLs from the environment when
 * set, else the local services on their standard ports when they answer, else containers started
 * with testcontainers when a Docker engine runs, else a message naming both ways out. NATS: a
 * server of the run's own with authentication on (see resolveInfra).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devNatsPasswordEnvFor } from '../libs/config/src/nats-credentials';
import { freeLoopbackPort, natsServerBinary, startLocalNats, TEST_AUTH } from './nats/server';

export interface Infra {
  databaseUrl: string;
  redisUrl: string;
  natsUrl: string;
  source: 'environment' | 'local services' | 'testcontainers';
  stop(): Promise<void>;
}

const LOCAL = {
  databaseUrl: 'postgresql://postgres@127.0.0.1:5432/postgres',
  redisUrl: 'redis://127.0.0.1:6379',
};

/** Resolves when something accepts TCP connections at the URL's host and port. */
export function reachable(url: string, defaultPort: number, timeoutMs = 1_000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(Number(port || defaultPort), hostname.replace(/^\[|\]$/g, ''), () => done(true));
  });
}

function dockerAvailable(): boolean {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * PostgreSQL and Redis from the environment, the local services or containers; NATS always a
 * server of the run's own with authentication on (the users of tools/nats/test-auth.conf), from
 * the local nats-server binary or a container, so the whole suite proves the NATS users.
 */
export async function resolveInfra(env: NodeJS.ProcessEnv = process.env): Promise<Infra> {
  const stores = await resolveStores(env);
  try {
    const nats = await startAuthenticatedNats();
    return {
      ...stores,
      natsUrl: nats.url,
      stop: async () => {
        await nats.stop();
        await stores.stop();
      },
    };
  } catch (error) {
    await stores.stop();
    throw error;
  }
}

type Stores = Omit<Infra, 'natsUrl'>;

async function resolveStores(env: NodeJS.ProcessEnv): Promise<Stores> {
  if (env.DATABASE_URL && env.REDIS_URL) {
    return {
      databaseUrl: env.DATABASE_URL,
      redisUrl: env.REDIS_URL,
      source: 'environment',
      stop: async () => {},
    };
  }
  const local = {
    databaseUrl: env.DATABASE_URL ?? LOCAL.databaseUrl,
    redisUrl: env.REDIS_URL ?? LOCAL.redisUrl,
  };
  const up = await Promise.all([reachable(local.databaseUrl, 5432), reachable(local.redisUrl, 6379)]);
  if (up.every(Boolean)) return { ...local, source: 'local services', stop: async () => {} };
  if (dockerAvailable()) return startContainers();
  const missing = ['PostgreSQL', 'Redis'].filter((_, i) => !up[i]).join(', ');
  throw new Error(
    `No test infrastructure: ${missing} not reachable and no Docker engine.\n` +
      '  Either set DATABASE_URL and REDIS_URL to running servers\n' +
      '  (PostgreSQL 15+, Redis 7 with maxmemory-policy noeviction: see README "Local services"),\n' +
      '  or start a Docker engine so the run can start them with testcontainers.',
  );
}

async function startAuthenticatedNats(): Promise<{ url: string; stop(): Promise<void> }> {
  if (natsServerBinary() || !dockerAvailable()) {
    const dir = mkdtempSync(join(tmpdir(), 'tn1-test-nats-'));
    const server = await startLocalNats({ authFile: TEST_AUTH, port: await freeLoopbackPort(), dir });
    return {
      url: server.url,
      stop: async () => {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const { GenericContainer } = await import('testcontainers');
  const auth = readFileSync(TEST_AUTH, 'utf8');
  const nats = await new GenericContainer('nats:2')
    .withCopyContentToContainer([
      { content: auth, target: '/etc/nats/auth.conf' },
      { content: 'jetstream {}\ninclude ./auth.conf\n', target: '/etc/nats/test.conf' },
    ])
    .withEnvironment(devNatsPasswordEnvFor(auth))
    .withCommand(['-c', '/etc/nats/test.conf'])
    .withExposedPorts(4222)
    .start();
  return {
    url: `nats://${nats.getHost()}:${nats.getMappedPort(4222)}`,
    stop: async () => {
      await nats.stop();
    },
  };
}

async function startContainers(): Promise<Stores> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const [pg, redis] = await Promise.all([
    new GenericContainer('postgres:15')
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/ready to accept connections/, 2))
      .start(),
    new GenericContainer('redis:7')
      .withCommand(['redis-server', '--maxmemory-policy', 'noeviction'])
      .withExposedPorts(6379)
      .start(),
  ]);
  return {
    databaseUrl: `postgresql://postgres@${pg.getHost()}:${pg.getMappedPort(5432)}/postgres`,
    redisUrl: `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`,
    source: 'testcontainers',
    stop: async () => {
      await Promise.all([pg.stop(), redis.stop()]);
    },
  };
}
