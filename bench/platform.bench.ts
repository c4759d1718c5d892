/**
 * Platform rows: a request/reply through a NestJS NATS service against a raw @nats-io responder,
 * and an HTTP round trip through the gateway against a bare handler on the same Fastify adapter.
 */
import 'reflect-metadata';
import { Agent, request } from 'node:http';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { connect } from '@nats-io/transport-node';
import Fastify from 'fastify';
import { BusClient, createBusServer, RpcErrorFilter } from '@trustno1/bus';
import { gatewayConfigSchema, loadConfig, natsConnectOptions } from '@trustno1/config';
import { createGateway } from '../apps/gateway/src/bootstrap';
import type { BenchContext } from './lib/context';
import { measure } from './lib/measure';
import type { BenchRow } from './lib/table';

const PAYLOAD = { playerId: '5b0c2a4e-0f6e-4c59-9a55-3f3c1a2b7d10', position: { x: 1.5, y: 2, z: -3 } };

@Controller()
class EchoController {
  @MessagePattern('bench.echo.ping.v1')
  echo(@Payload() body: unknown): unknown {
    return body;
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

async function natsRow(ctx: BenchContext): Promise<BenchRow> {
  const subjectPrefix = `${ctx.prefix}.`;
  const service = await NestFactory.createMicroservice(EchoModule, {
    strategy: createBusServer({ natsUrl: ctx.natsUrl, serviceName: `${ctx.prefix}-echo`, subjectPrefix }),
    logger: false,
  });
  service.useGlobalFilters(new RpcErrorFilter());
  await service.listen();
  const client = new BusClient({ natsUrl: ctx.natsUrl, serviceName: `${ctx.prefix}-client`, subjectPrefix });

  const rawServer = await connect(natsConnectOptions(ctx.natsUrl));
  const rawClient = await connect(natsConnectOptions(ctx.natsUrl));
  const rawSubject = `${ctx.prefix}.raw.echo`;
  rawServer.subscribe(rawSubject, { queue: 'raw', callback: (_err, msg) => void msg.respond(msg.data) });
  await rawServer.flush();
  const body = JSON.stringify(PAYLOAD);
  try {
    const opts = { iterations: ctx.iterations, concurrency: ctx.concurrency };
    const measured = await measure(() => client.request('bench.echo.ping.v1', PAYLOAD), opts);
    const raw = await measure(() => rawClient.request(rawSubject, body, { timeout: 5_000 }), opts);
    return {
      operation: 'NATS request/reply (NestJS service)',
      measured,
      raw,
      note: 'raw: @nats-io request to a bare responder',
    };
  } finally {
    await client.close();
    await service.close();
    await rawServer.drain();
    await rawClient.drain();
  }
}

function get(agent: Agent, port: number, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () =>
        res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`)),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

async function httpRow(ctx: BenchContext): Promise<BenchRow> {
  const config = loadConfig(gatewayConfigSchema, {
    DATABASE_URL: ctx.databaseUrl,
    REDIS_URL: ctx.redisUrl,
    NATS_URL: ctx.natsUrl,
    NATS_SUBJECT_PREFIX: `${ctx.prefix}.`,
    REDIS_KEY_PREFIX: `${ctx.prefix}:`,
    LOG_LEVEL: 'silent',
    HTTP_PORT: '0',
  });
  const gateway = await createGateway(config);
  await gateway.listen(0, '127.0.0.1');
  const gatewayPort = (gateway.getHttpServer().address() as { port: number }).port;

  const bare = Fastify();
  bare.get('/health/live', async () => ({ status: 'ok' }));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const barePort = (bare.server.address() as { port: number }).port;

  const agent = new Agent({ keepAlive: true, maxSockets: ctx.concurrency });
  try {
    const opts = { iterations: ctx.iterations, concurrency: ctx.concurrency };
    const measured = await measure(() => get(agent, gatewayPort, '/health/live'), opts);
    const raw = await measure(() => get(agent, barePort, '/health/live'), opts);
    return {
      operation: 'HTTP GET /health/live (gateway)',
      measured,
      raw,
      note: 'raw: the same route on a bare Fastify app; the gateway adds request ids, logging context, filters',
    };
  } finally {
    agent.destroy();
    await gateway.close();
    await bare.close();
  }
}

export async function platformRows(ctx: BenchContext): Promise<BenchRow[]> {
  return [await natsRow(ctx), await httpRow(ctx)];
}
