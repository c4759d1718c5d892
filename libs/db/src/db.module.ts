import {
  Global,
  Inject,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Pool } from 'pg';
import { Gauge } from 'prom-client';
import { AppMetrics } from '@trustno1/observability';
import { createPool } from './pool';
import { createPrismaClient, PrismaClient } from './prisma.service';

/** Injection token of the app's pg pool (raw SQL and stored procedures). */
export const PG_POOL = Symbol('PG_POOL');

class DbLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly prisma: PrismaClient,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.prisma.$disconnect();
    await this.pool.end();
  }
}

/**
 * `tn1_db_pool_connections{state}`: the pool's connections (`total`, `idle`) and the requests
 * waiting for one (`waiting`), read at scrape time: a pool at its size with waiters is saturated.
 */
function withPoolGauge(metrics: AppMetrics, pool: Pool): Pool {
  new Gauge({
    name: 'tn1_db_pool_connections',
    help: 'PostgreSQL pool connections by state (total, idle) and requests waiting for one',
    labelNames: ['state'],
    registers: [metrics.registry],
    collect() {
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
  return pool;
}

/** Provides `PG_POOL` and `PrismaClient` on one pool and closes both on shutdown. */
@Global()
@Module({})
export class DbModule {
  static forRoot(options: {
    url: string;
    poolSize: number;
    application: string;
    searchPath?: string;
  }): DynamicModule {
    const logger = new Logger('db');
    return {
      module: DbModule,
      providers: [
        {
          provide: PG_POOL,
          inject: [AppMetrics],
          useFactory: (metrics: AppMetrics) =>
            withPoolGauge(
              metrics,
              createPool({
                url: options.url,
                max: options.poolSize,
                application: options.application,
                searchPath: options.searchPath,
                onSlowStatement: (text, ms) => {
                  const statement = text.replace(/\s+/g, ' ').slice(0, 120);
                  metrics.slowStatements.inc({ statement: statement.slice(0, 40) });
                  logger.warn({ statement, ms: Math.round(ms) }, 'slow statement');
                },
              }),
            ),
        },
        { provide: PrismaClient, inject: [PG_POOL], useFactory: (pool: Pool) => createPrismaClient(pool) },
        DbLifecycle,
      ],
      exports: [PG_POOL, PrismaClient],
    };
  }
}
