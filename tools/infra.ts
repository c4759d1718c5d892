/**
 * Finds PostgreSQL, Redis and NATS for tools that need them: the URLs from the environment when
 * set, else the local services on their standard ports when they answer, else containers started
 * with testcontainers when a Docker engine runs, else a message naming both ways out.
 */
import { execFileSync } from 'node:child_process';
import { Socket } from 'node:net';

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
  natsUrl: 'nats://127.0.0.1:4222',
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

export async function resolveInfra(env: NodeJS.ProcessEnv = process.env): Promise<Infra> {
  const fromEnv = env.DATABASE_URL && env.REDIS_URL && env.NATS_URL;
  if (fromEnv) {
    return {
      databaseUrl: env.DATABASE_URL!,
      redisUrl: env.REDIS_URL!,
      natsUrl: env.NATS_URL!,
      source: 'environment',
      stop: async () => {},
    };
  }
  const local = {
    databaseUrl: env.DATABASE_URL ?? LOCAL.databaseUrl,
    redisUrl: env.REDIS_URL ?? LOCAL.redisUrl,
    natsUrl: env.NATS_URL ?? LOCAL.natsUrl,
  };
  const up = await Promise.all([
    reachable(local.databaseUrl, 5432),
    reachable(local.redisUrl, 6379),
    reachable(local.natsUrl, 4222),
  ]);
  if (up.every(Boolean)) return { ...local, source: 'local services', stop: async () => {} };
  if (dockerAvailable()) return startContainers();
  const missing = ['PostgreSQL', 'Redis', 'NATS'].filter((_, i) => !up[i]).join(', ');
  throw new Error(
    `No test infrastructure: ${missing} not reachable and no Docker engine.\n` +
      '  Either set DATABASE_URL, REDIS_URL and NATS_URL to running servers\n' +
      '  (PostgreSQL 15+, Redis 7 with maxmemory-policy noeviction, NATS with JetStream: see README "Local services"),\n' +
      '  or start a Docker engine so the run can start them with testcontainers.',
  );
}

async function startContainers(): Promise<Infra> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const [pg, redis, nats] = await Promise.all([
    new GenericContainer('postgres:15')
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/ready to accept connections/, 2))
      .start(),
    new GenericContainer('redis:7')
      .withCommand(['redis-server', '--maxmemory-policy', 'noeviction'])
      .withExposedPorts(6379)
      .start(),
    new GenericContainer('nats:2').withCommand(['-js']).withExposedPorts(4222).start(),
  ]);
  return {
    databaseUrl: `postgresql://postgres@${pg.getHost()}:${pg.getMappedPort(5432)}/postgres`,
    redisUrl: `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`,
    natsUrl: `nats://${nats.getHost()}:${nats.getMappedPort(4222)}`,
    source: 'testcontainers',
    stop: async () => {
      await Promise.all([pg.stop(), redis.stop(), nats.stop()]);
    },
  };
}
