import { randomBytes } from 'node:crypto';
import { devNatsPassword, natsUrlWithCredentials } from '@trustno1/config';

/** What every benchmark gets: the infrastructure and the sizes chosen for this run. */
export interface BenchContext {
  databaseUrl: string;
  redisUrl: string;
  /** The run's NATS as the operators' user (`ops`), for the bench's own connections. */
  natsUrl: string;
  /** A NATS subject / Redis key prefix of this run, so a bench never touches live data. */
  prefix: string;
  iterations: number;
  concurrency: number;
}

export function benchContext(env: NodeJS.ProcessEnv = process.env): BenchContext {
  return {
    databaseUrl: env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    natsUrl: natsUrlWithCredentials(env.NATS_URL ?? 'nats://127.0.0.1:4222', 'ops', devNatsPassword('ops')),
    prefix: `bench${randomBytes(3).toString('hex')}`,
    iterations: Number(env.BENCH_ITERATIONS ?? 5_000),
    concurrency: Number(env.BENCH_CONCURRENCY ?? 16),
  };
}
