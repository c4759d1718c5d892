import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { Controller, Inject, Module, type INestApplication } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { MessagePattern } from '@nestjs/microservices';
import { BusClient } from '@trustno1/bus';
import { loadConfig, serviceConfigSchema } from '@trustno1/config';
import { AppError, ErrorCode, PlatformSubjects } from '@trustno1/contracts';
import { PG_POOL } from '@trustno1/db';
import { startService } from '@trustno1/host';
import {
  createTestDatabase,
  createTestNamespace,
  testInfra,
  type TestDatabase,
  type TestNamespace,
} from '@trustno1/testing';

/** The one connection of the spec's pool (DATABASE_POOL_SIZE=1), while a test holds it. */
let held: PoolClient | undefined;

@Controller()
class FailingController {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  @MessagePattern('market.pool.hold.v1')
  async hold(): Promise<null> {
    held = await this.pool.connect();
    return null;
  }

  @MessagePattern('market.pool.query.v1')
  async query(): Promise<number> {
    return (await this.pool.query<{ n: number }>('SELECT 1 AS n')).rows[0].n;
  }
  @MessagePattern('market.listing.buy.v1')
  buy(): never {
    throw new AppError(ErrorCode.INSUFFICIENT_FUNDS, 'Not enough scrap', { needed: 10 });
  }

  @MessagePattern('market.listing.crash.v1')
  crash(): never {
    throw new Error('secret internals');
  }
}

@Module({ controllers: [FailingController] })
class FailingModule {}

describe('startService', () => {
  let db: TestDatabase;
  let ns: TestNamespace;
  let app: INestApplication;
  let bus: BusClient;

  beforeAll(async () => {
    db = await createTestDatabase();
    ns = createTestNamespace();
    const infra = testInfra();
    const config = loadConfig(serviceConfigSchema('market'), {
      DATABASE_URL: db.url,
      REDIS_URL: infra.redisUrl,
      NATS_URL: infra.natsUrl,
      NATS_SUBJECT_PREFIX: ns.natsSubjectPrefix,
      REDIS_KEY_PREFIX: ns.redisKeyPrefix,
      HEALTH_PORT: '0',
      LOG_LEVEL: 'silent',
      DATABASE_POOL_SIZE: '1',
    });
    app = await startService({
      app: 'market',
      config,
      natsServer: true,
      imports: [FailingModule],
      handleSignals: false,
    });
    bus = new BusClient({
      natsUrl: infra.natsUrl,
      serviceName: 'host-spec',
      subjectPrefix: ns.natsSubjectPrefix,
    });
  });
  afterAll(async () => {
    await bus?.close();
    await app?.close();
    await ns?.cleanup();
    await db?.drop();
  });

  it('answers the health ping of its service', async () => {
    const reply = await bus.request<{ service: string }>(PlatformSubjects.healthPing('market'), {});
    assert.equal(reply.service, 'market');
  });

  it("carries a handler's AppError across NATS with its code and details", async () => {
    await assert.rejects(
      bus.request('market.listing.buy.v1', {}),
      (e: unknown) =>
        e instanceof AppError &&
        e.code === 'INSUFFICIENT_FUNDS' &&
        (e.details as { needed: number }).needed === 10,
    );
  });

  it('turns any other error into INTERNAL without its message', async () => {
    await assert.rejects(
      bus.request('market.listing.crash.v1', {}),
      (e: unknown) => e instanceof AppError && e.code === 'INTERNAL' && !e.message.includes('secret'),
    );
  });

  it('answers UNAVAILABLE, not INTERNAL, when the pool has no free connection in time', async () => {
    await bus.request('market.pool.hold.v1', {});
    try {
      await assert.rejects(
        bus.request('market.pool.query.v1', {}, { timeoutMs: 10_000 }),
        (e: unknown) =>
          e instanceof AppError &&
          e.code === ErrorCode.UNAVAILABLE &&
          (e.details as { reason: string }).reason === 'pool_exhausted',
      );
    } finally {
      held?.release();
    }
    assert.equal(await bus.request('market.pool.query.v1', {}), 1);
  });
});
