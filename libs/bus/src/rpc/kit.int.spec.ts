import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { Controller, Logger, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { z } from 'zod';
import { AppError, defineOperation, ErrorCode, type Principal, type RequestOf } from '@trustno1/contracts';
import { natsDirect, type NatsDirect } from '@trustno1/testing';
import { createBusTestEnv, type BusTestEnv } from '../testing/bus-test-env';
import { BusClient } from './bus-client';
import { createBusServer } from './bus-server';
import { CallerAuthenticator } from './caller-authenticator';
import { Handle, type Call } from './handle';
import { PrincipalSeal, type SigningKey } from './principal-seal';
import { RpcErrorFilter } from './rpc-error.filter';

const probe = defineOperation({
  subject: 'probe.thing.touch.v1',
  request: z.strictObject({ thingId: z.uuid('must be a UUID'), count: z.int().min(1).default(1) }),
  reply: z.object({ principal: z.unknown(), count: z.int(), idempotency: z.unknown() }),
  principals: ['server'],
  idempotent: true,
  errors: [],
});
const internal = defineOperation({
  subject: 'probe.thing.sweep.v1',
  request: z.strictObject({}),
  reply: z.object({ swept: z.boolean() }),
  principals: ['admin'],
  idempotent: false,
  errors: [],
});

/** Every call that reached a handler, so a test can prove a refused one never did. */
const reached: string[] = [];

@Controller()
class ProbeController {
  @Handle(probe)
  touch(request: RequestOf<typeof probe>, call: Call<typeof probe>) {
    reached.push(probe.subject);
    return { principal: call.principal, count: request.count, idempotency: call.idempotency ?? null };
  }

  @Handle(internal)
  sweep() {
    reached.push(internal.subject);
    return { swept: true };
  }
}

// Compile-time check (npm run typecheck): a reply that does not match the operation's is an error.
export class WrongReplyController {
  // @ts-expect-error the reply of `internal` is {swept: boolean}
  @Handle(internal)
  sweep() {
    return { swept: 'yes' };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

const currentKey: SigningKey = { id: 'cur', secret: randomBytes(32) };
const oldKey: SigningKey = { id: 'old', secret: randomBytes(32) };
const SERVER_KEY = randomBytes(32).toString('base64url');
const SERVER: Principal = { kind: 'server', serverId: randomUUID(), region: 'eu-west' };

describe('the service kit on a real NATS: sealed principals, server keys, @Handle', () => {
  let env: BusTestEnv;
  let service: INestMicroservice;
  let bus: BusClient;
  let direct: NatsDirect;

  beforeAll(async () => {
    env = await createBusTestEnv();
    const authenticator = new CallerAuthenticator(new PrincipalSeal([currentKey, oldKey]), async (apiKey) => {
      if (apiKey === SERVER_KEY) return SERVER;
      throw new AppError(ErrorCode.UNAUTHENTICATED, 'Invalid server key');
    });
    service = await NestFactory.createMicroservice(ProbeModule, {
      strategy: createBusServer({
        natsUrl: env.natsUrl,
        serviceName: 'probe',
        subjectPrefix: env.prefix,
        authenticator,
      }),
      logger: false,
    });
    service.useGlobalFilters(new RpcErrorFilter());
    await service.listen();
    bus = new BusClient({
      natsUrl: env.natsUrl,
      serviceName: 'caller',
      subjectPrefix: env.prefix,
      signingKeys: [currentKey],
    });
    direct = await natsDirect(env.natsUrl, env.prefix);
    Logger.overrideLogger(false);
  });

  afterAll(async () => {
    await direct?.close();
    await bus?.close();
    await service?.close();
    await env?.cleanup();
  });

  /** The code a call was refused with (fails when it succeeded). */
  async function codeOf(call: Promise<unknown>): Promise<string> {
    try {
      await call;
    } catch (error) {
      assert.ok(error instanceof AppError);
      return error.code;
    }
    return assert.fail('expected the call to be refused');
  }

  it('serves a sealed principal of an admitted kind, with the parsed request', async () => {
    const thingId = randomUUID();
    const reply = await bus.call(probe, { thingId }, { principal: SERVER });
    assert.deepEqual(reply, { principal: SERVER, count: 1, idempotency: null });
  });

  it('refuses other kinds before the handler: anonymous 401, admin and player 403', async () => {
    const before = reached.length;
    const thingId = randomUUID();
    assert.equal(await codeOf(bus.call(probe, { thingId })), ErrorCode.UNAUTHENTICATED);
    assert.equal(
      await codeOf(bus.call(probe, { thingId }, { principal: { kind: 'admin' } })),
      ErrorCode.FORBIDDEN,
    );
    assert.equal(
      await codeOf(bus.call(probe, { thingId }, { principal: { kind: 'player', accountId: randomUUID() } })),
      ErrorCode.FORBIDDEN,
    );
    assert.equal(reached.length, before);
  });

  it('names the bad field of an invalid payload and never runs the handler', async () => {
    const before = reached.length;
    try {
      await bus.request(probe.subject, { thingId: 'nope', extra: 1 }, { principal: SERVER });
      assert.fail('expected VALIDATION_FAILED');
    } catch (error) {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, ErrorCode.VALIDATION_FAILED);
      const fields = (error.details as { fields: { field: string }[] }).fields.map((f) => f.field).sort();
      assert.deepEqual(fields, ['extra', 'thingId']);
    }
    assert.equal(reached.length, before);
  });

  it('claims idempotency with the key, scoped to the caller and pinned to the payload', async () => {
    const thingId = randomUUID();
    const a = await bus.call(probe, { thingId }, { principal: SERVER, idempotencyKey: 'k-1' });
    const b = await bus.call(probe, { thingId, count: 2 }, { principal: SERVER, idempotencyKey: 'k-1' });
    const claimA = a.idempotency as { principal: string; key: string; requestHash: string };
    const claimB = b.idempotency as typeof claimA;
    assert.equal(claimA.principal, `server:${(SERVER as { serverId: string }).serverId}`);
    assert.equal(claimA.key, 'k-1');
    assert.match(claimA.requestHash, /^[0-9a-f]{64}$/);
    assert.notEqual(claimA.requestHash, claimB.requestHash);
    // An operation that is not idempotent never claims, even when a key is sent.
    assert.deepEqual(await bus.call(internal, {}, { principal: { kind: 'admin' }, idempotencyKey: 'k-2' }), {
      swept: true,
    });
  });

  it('refuses an unsealed or forged claim of admin sent straight to NATS, without reaching the handler', async () => {
    const before = reached.length;
    const forger = new PrincipalSeal([{ id: 'cur', secret: randomBytes(32) }]);
    const requestId = randomUUID();
    const forged = forger.sign({ kind: 'admin' }, internal.subject, requestId);
    const attempts: Record<string, string>[] = [
      { 'x-principal': '{"kind":"admin"}' },
      { 'x-principal': '{"kind":"admin"}', 'x-principal-sig': 'v1.cur.1.n.m' },
      { 'x-request-id': requestId, 'x-principal': forged.principal, 'x-principal-sig': forged.seal },
    ];
    for (const headers of attempts) {
      const reply = await direct.request(internal.subject, {}, headers);
      assert.equal(reply.err?.code, ErrorCode.UNAUTHENTICATED, JSON.stringify(headers));
      assert.equal(reply.response, undefined);
    }
    assert.equal(reached.length, before);
  });

  it('refuses a valid seal re-targeted to another subject, replayed, or stale', async () => {
    const signer = new PrincipalSeal([currentKey]);
    const requestId = randomUUID();
    const sealed = signer.sign({ kind: 'admin' }, internal.subject, requestId);
    const headers = {
      'x-request-id': requestId,
      'x-principal': sealed.principal,
      'x-principal-sig': sealed.seal,
    };

    const retargeted = await direct.request(probe.subject, { thingId: randomUUID() }, headers);
    assert.equal(retargeted.err?.code, ErrorCode.UNAUTHENTICATED);
    assert.equal((retargeted.err?.details as { reason: string }).reason, 'bad seal');

    const first = await direct.request(internal.subject, {}, headers);
    assert.deepEqual(first.response, { swept: true });
    const replayed = await direct.request(internal.subject, {}, headers);
    assert.equal((replayed.err?.details as { reason: string }).reason, 'replayed seal');

    const staleId = randomUUID();
    const stale = new PrincipalSeal([currentKey], { now: () => Date.now() - 120_000 }).sign(
      { kind: 'admin' },
      internal.subject,
      staleId,
    );
    const late = await direct.request(
      internal.subject,
      {},
      {
        'x-request-id': staleId,
        'x-principal': stale.principal,
        'x-principal-sig': stale.seal,
      },
    );
    assert.equal((late.err?.details as { reason: string }).reason, 'expired seal');
  });

  it('accepts the key being rotated out, and nothing sealed with a key it does not hold', async () => {
    const byOld = new BusClient({
      natsUrl: env.natsUrl,
      serviceName: 'old-caller',
      subjectPrefix: env.prefix,
      signingKeys: [oldKey],
    });
    const byStranger = new BusClient({
      natsUrl: env.natsUrl,
      serviceName: 'stranger',
      subjectPrefix: env.prefix,
      signingKeys: [{ id: 'zzz', secret: randomBytes(32) }],
    });
    try {
      assert.deepEqual(await byOld.call(internal, {}, { principal: { kind: 'admin' } }), { swept: true });
      assert.equal(
        await codeOf(byStranger.call(internal, {}, { principal: { kind: 'admin' } })),
        ErrorCode.UNAUTHENTICATED,
      );
    } finally {
      await byOld.close();
      await byStranger.close();
    }
  });

  it('authenticates a game server calling NATS with its own key, and refuses a bad key or a key with a claim', async () => {
    const thingId = randomUUID();
    const ok = await direct.request(probe.subject, { thingId }, { 'x-server-key': SERVER_KEY });
    assert.deepEqual((ok.response as { principal: unknown }).principal, SERVER);

    const bad = await direct.request(probe.subject, { thingId }, { 'x-server-key': 'not-a-key' });
    assert.equal(bad.err?.code, ErrorCode.UNAUTHENTICATED);

    const both = await direct.request(
      internal.subject,
      {},
      {
        'x-server-key': SERVER_KEY,
        'x-principal': '{"kind":"admin"}',
      },
    );
    assert.equal(both.err?.code, ErrorCode.UNAUTHENTICATED);

    // A server key is a server, never more: the admin subject stays shut.
    const escalate = await direct.request(internal.subject, {}, { 'x-server-key': SERVER_KEY });
    assert.equal(escalate.err?.code, ErrorCode.FORBIDDEN);
  });
});
