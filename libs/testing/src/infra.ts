import { randomBytes } from 'node:crypto';
import { devNatsPassword, natsUrlWithCredentials } from '@trustno1/config';

/** Where the test run's PostgreSQL, Redis and NATS are; set by Jest's global setup (tools/jest). */
export interface TestInfra {
  /** A URL of the server's maintenance database, used to create and drop test databases. */
  postgresAdminUrl: string;
  /** The migrated database that test databases are cloned from, when the runner made one. */
  templateDatabase?: string;
  redisUrl: string;
  /** The run's NATS server as its operators' user (`ops`), for what a test sets up itself. */
  natsUrl: string;
  /** The same server without credentials: each app adds its own user. */
  natsServerUrl: string;
}

export const DEFAULT_LOCAL_INFRA = {
  databaseUrl: 'postgresql://postgres@127.0.0.1:5432/postgres',
  redisUrl: 'redis://127.0.0.1:6379',
  natsUrl: 'nats://127.0.0.1:4222',
} as const;

/** Reads the infrastructure chosen by the runner, else the environment, else the local defaults. */
export function testInfra(env: NodeJS.ProcessEnv = process.env): TestInfra {
  return {
    postgresAdminUrl:
      env.TN1_TEST_PG_ADMIN_URL ??
      withDatabase(env.DATABASE_URL ?? DEFAULT_LOCAL_INFRA.databaseUrl, 'postgres'),
    templateDatabase: env.TN1_TEST_TEMPLATE || undefined,
    redisUrl: env.REDIS_URL ?? DEFAULT_LOCAL_INFRA.redisUrl,
    natsUrl: natsUrlAs('ops', env),
    natsServerUrl: env.NATS_URL ?? DEFAULT_LOCAL_INFRA.natsUrl,
  };
}

/**
 * The run's NATS server as one of the platform's users (`gateway`, `inventory`, `game_server`,
 * `ops`, ...) with its development password: the global setup starts the server with those.
 */
export function natsUrlAs(user: string, env: NodeJS.ProcessEnv = process.env): string {
  return natsUrlWithCredentials(env.NATS_URL ?? DEFAULT_LOCAL_INFRA.natsUrl, user, devNatsPassword(user));
}

/** The same server URL pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** A short random token usable in database names, key prefixes and NATS subjects. */
export function uniqueToken(bytes = 5): string {
  return randomBytes(bytes).toString('hex');
}
