import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Controller, Module, type INestApplication } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { BusClient } from '@trustno1/bus';
import { loadConfig, serviceConfigSchema } from '@trustno1/config';
import { AppError, ErrorCode, PlatformSubjects } from '@trustno1/contracts';
import { startService } from '@trustno1/host';
import {
  createTestDatabase,
  createTestNamespace,
  testInfra,
  type TestDatabase,
  type TestNamespace,
} from '@trustno1/testing';

@Controller()
class FailingController {
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

  before(async () => {
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
  after(async () => {
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
});
