import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { Controller, INestApplicationContext, INestMicroservice, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AppError, ErrorCode } from '@trustno1/contracts';
import { BusModule } from '../bus.module';
import { currentRequestId, runWithRequestId } from '../request-context';
import { createBusTestEnv, sleep } from '../testing/bus-test-env';
import type { BusTestEnv } from '../testing/bus-test-env';
import { BusClient } from './bus-client';
import { createBusServer } from './bus-server';
import { RpcErrorFilter } from './rpc-error.filter';
import { Meta, parsePrincipal, type RequestMeta } from './request-meta';

@Controller()
class ProbeController {
  @MessagePattern('probe.echo.get.v1')
  echo(@Payload() payload: unknown) {
    return { payload, requestId: currentRequestId() };
  }

  @MessagePattern('probe.item.find.v1')
  async notFound(): Promise<never> {
    await sleep(1); // the request id must survive awaits
    throw new AppError(ErrorCode.NOT_FOUND, 'Item not found', { itemId: 42 });
  }

  @MessagePattern('probe.bug.run.v1')
  bug(): never {
    throw new Error('password=hunter2 at db.internal');
  }

  @MessagePattern('probe.meta.get.v1')
  meta(@Meta() meta: RequestMeta) {
    return meta;
  }

  @MessagePattern('probe.slow.run.v1')
  async slow(@Payload() ms: number) {
    await sleep(ms);
    return 'done';
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

describe('bus request/reply through a NestJS microservice', () => {
  let env: BusTestEnv;
  let service: INestMicroservice;
  let callerCtx: INestApplicationContext;
  let bus: BusClient;

  beforeAll(async () => {
    env = await createBusTestEnv();
    service = await NestFactory.createMicroservice(ProbeModule, {
      strategy: createBusServer({ natsUrl: env.natsUrl, serviceName: 'probe', subjectPrefix: env.prefix }),
      logger: false,
    });
    service.useGlobalFilters(new RpcErrorFilter());
    await service.listen();
    callerCtx = await NestFactory.createApplicationContext(
      BusModule.forRoot({ natsUrl: env.natsUrl, serviceName: 'caller', subjectPrefix: env.prefix }),
      { logger: false },
    );
    bus = callerCtx.get(BusClient);
    Logger.overrideLogger(false); // the INTERNAL case logs by design
  });

  afterAll(async () => {
    await callerCtx?.close();
    await service?.close();
    await env?.cleanup();
  });

  it('returns the handler result', async () => {
    const reply = await bus.request<{ payload: unknown }>('probe.echo.get.v1', { a: [1, 2] });
    assert.deepEqual(reply.payload, { a: [1, 2] });
  });

  it('carries the caller request id into the handler', async () => {
    const reply = await runWithRequestId('req-abc-123', () =>
      bus.request<{ requestId: string }>('probe.echo.get.v1', {}),
    );
    assert.equal(reply.requestId, 'req-abc-123');
  });

  it('carries the principal and idempotency key to the handler', async () => {
    const principal = {
      kind: 'server',
      serverId: '0b9e3f55-3d5c-4f3a-9d6e-0c0f1f2e3d4c',
      region: 'eu-west',
    } as const;
    const reply = await bus.request<RequestMeta>(
      'probe.meta.get.v1',
      {},
      { principal, idempotencyKey: 'k-1' },
    );
    assert.deepEqual(reply.principal, principal);
    assert.equal(reply.idempotencyKey, 'k-1');
    const bare = await bus.request<RequestMeta>('probe.meta.get.v1', {});
    assert.deepEqual(bare.principal, { kind: 'anonymous' });
    assert.equal(bare.idempotencyKey, undefined);
  });

  it('never reads more authority into a malformed principal header', () => {
    assert.deepEqual(parsePrincipal('{"kind":"player"}'), { kind: 'anonymous' });
    assert.deepEqual(parsePrincipal('{"kind":"root"}'), { kind: 'anonymous' });
    assert.deepEqual(parsePrincipal('not json'), { kind: 'anonymous' });
    assert.deepEqual(parsePrincipal('{"kind":"admin","extra":1}'), { kind: 'admin' });
  });

  it('gives a fresh request id when the caller has none', async () => {
    const reply = await bus.request<{ requestId: string }>('probe.echo.get.v1', {});
    assert.match(reply.requestId, /^[0-9a-f-]{36}$/);
  });

  it('rebuilds an AppError thrown by the handler', async () => {
    const err = await rejection(bus.request('probe.item.find.v1', {}));
    assert.ok(err instanceof AppError);
    assert.equal(err.code, ErrorCode.NOT_FOUND);
    assert.equal(err.message, 'Item not found');
    assert.deepEqual(err.details, { itemId: 42 });
  });

  it('turns any other error into INTERNAL without leaking it', async () => {
    const err = await rejection(bus.request('probe.bug.run.v1', {}));
    assert.ok(err instanceof AppError);
    assert.equal(err.code, ErrorCode.INTERNAL);
    assert.equal(err.message, 'Internal error');
    assert.doesNotMatch(JSON.stringify({ ...err, m: err.message }), /hunter2|db\.internal/);
  });

  it('fails fast with UNAVAILABLE when nobody listens', async () => {
    const started = Date.now();
    const err = await rejection(bus.request('probe.nobody.get.v1', {}, { timeoutMs: 5_000 }));
    assert.equal((err as AppError).code, ErrorCode.UNAVAILABLE);
    assert.ok(Date.now() - started < 1_000, 'no-responders must not wait for the timeout');
    // The caller learns which service, not the subject nor the transport's reason.
    const envelope = JSON.stringify((err as AppError).toEnvelope());
    assert.match(envelope, /"service":"probe"/);
    assert.doesNotMatch(envelope, /nobody|subscriber|no responders|503/i);
  });

  it('does not answer requests outside its subject prefix', async () => {
    const other = new BusClient({ natsUrl: env.natsUrl, serviceName: 'other', subjectPrefix: 'elsewhere.' });
    try {
      const err = await rejection(other.request('probe.echo.get.v1', {}));
      assert.equal((err as AppError).code, ErrorCode.UNAVAILABLE);
    } finally {
      await other.close();
    }
  });

  it('rejects UNAVAILABLE on timeout', async () => {
    const err = await rejection(bus.request('probe.slow.run.v1', 1_000, { timeoutMs: 100 }));
    assert.equal((err as AppError).code, ErrorCode.UNAVAILABLE);
  });

  it('rejects UNAVAILABLE when NATS is unreachable', async () => {
    const down = new BusClient({ natsUrl: 'nats://127.0.0.1:1', serviceName: 'down' });
    const err = await rejection(down.request('probe.echo.get.v1', {}, { timeoutMs: 2_000 }));
    assert.equal((err as AppError).code, ErrorCode.UNAVAILABLE);
    await down.close();
  });

  it('finishes in-flight requests when the service closes (last: closes it)', async () => {
    const pending = bus.request('probe.slow.run.v1', 300);
    await sleep(50);
    const closing = service.close();
    assert.equal(await pending, 'done');
    await closing;
    const err = await rejection(bus.request('probe.echo.get.v1', {}));
    assert.equal((err as AppError).code, ErrorCode.UNAVAILABLE);
  });
});

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  assert.fail('expected a rejection');
}
