import {
  Global,
  Inject,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Pool } from 'pg';
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
        },
        { provide: PrismaClient, inject: [PG_POOL], useFactory: (pool: Pool) => createPrismaClient(pool) },
        DbLifecycle,
      ],
      exports: [PG_POOL, PrismaClient],
    };
  }
}
