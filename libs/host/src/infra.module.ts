import { Inject, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Redis } from 'ioredis';
import { BusClient, BusModule, currentRequestId } from '@trustno1/bus';
import { natsUrlOf, principalSigningKeys, type BaseConfig } from '@trustno1/config';
import { appSearchPath, databaseRole, DbModule, PG_POOL, withDatabaseUser } from '@trustno1/db';
import { HealthModule, HealthRegistry, loggingModule, MetricsModule } from '@trustno1/observability';
import { REDIS, RedisModule } from '@trustno1/redis';
import { natsCheck, postgresCheck, redisCheck } from './checks';

export interface InfraOptions {
  app: string;
  config: BaseConfig;
  /** Pool size override; the gateway only needs a couple of connections for readiness. */
  poolSize?: number;
  /** How long a NATS request may take before it fails UNAVAILABLE. */
  requestTimeoutMs?: number;
}

class InfraChecks implements OnModuleInit {
  constructor(
    private readonly health: HealthRegistry,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly bus: BusClient,
  ) {}

  onModuleInit(): void {
    this.health.register(postgresCheck(this.pool));
    this.health.register(redisCheck(this.redis));
    this.health.register(natsCheck(() => this.bus.ping()));
  }
}

/**
 * What every app stands on: JSON logs, metrics, health, PostgreSQL, Redis and the NATS client,
 * with readiness checks for the three dependencies.
 */
@Module({})
export class InfraModule {
  static forRoot({ app, config, poolSize, requestTimeoutMs }: InfraOptions): DynamicModule {
    return {
      module: InfraModule,
      imports: [
        loggingModule({ service: app, level: config.LOG_LEVEL, requestId: currentRequestId }),
        MetricsModule.forRoot(app),
        HealthModule.forRoot(),
        DbModule.forRoot({
          url: config.DATABASE_OWN_ROLE
            ? withDatabaseUser(config.DATABASE_URL, databaseRole(app))
            : config.DATABASE_URL,
          poolSize: poolSize ?? config.DATABASE_POOL_SIZE,
          application: app,
          searchPath: appSearchPath(app),
        }),
        RedisModule.forRoot({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, name: app }),
        BusModule.forRoot({
          natsUrl: natsUrlOf(config, app),
          serviceName: app,
          subjectPrefix: config.NATS_SUBJECT_PREFIX,
          requestTimeoutMs,
          signingKeys: principalSigningKeys(config),
        }),
      ],
      providers: [InfraChecks],
    };
  }
}
