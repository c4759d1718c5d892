import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

import type { GatewayConfig } from '@trustno1/config';
import { ErrorCode } from '@trustno1/contracts';
import {
  accessLevel,
  AppLogger,
  AppMetrics,
  REQUEST_ID_HEADER,
  requestIdFrom,
} from '@trustno1/observability';
import { carriesCredentials } from './auth/auth.guard';
import { HttpErrorFilter } from './errors/http-error.filter';
import { FailedAuthLimiter } from './rate-limit/failed-auth.limiter';
import { RouteIndex } from './errors/route-index';
import { GatewayModule } from './gateway.module';
import { addOperationsTo } from './operations/openapi';
import { GATEWAY_OPERATIONS } from './operations/operations.module';
import { RequestContextInterceptor } from './request-context/request-context.interceptor';

/** Longer URLs are refused with 414 in the error envelope (Node itself cuts off at 16 KiB of headers). */
const MAX_URL_LENGTH = 4096;

/** Builds the gateway app (not listening yet): used by main.ts, the end-to-end tests and the bench. */
export async function createGateway(config: GatewayConfig): Promise<NestFastifyApplication> {
  // Long path parameters reach validation (400 naming them) instead of vanishing as a 404.
  const adapter = new FastifyAdapter({
    bodyLimit: config.BODY_LIMIT_BYTES,
    // X-Forwarded-For is believed only from the configured proxies (TRUSTED_PROXIES); otherwise
    // request.ip is the socket's address, which a client cannot forge.
    trustProxy: config.TRUSTED_PROXIES.length > 0 ? config.TRUSTED_PROXIES : false,
    maxParamLength: 512,
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const id = requestIdFrom(request.headers[REQUEST_ID_HEADER]);
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      void reply
        .header(REQUEST_ID_HEADER, id)
        .code(tooLong ? 414 : 400)
        .send({
          error: {
            code: tooLong ? ErrorCode.URI_TOO_LONG : ErrorCode.VALIDATION_FAILED,
            message: tooLong ? 'A path parameter is longer than 512 characters' : 'Malformed URL',
            requestId: id,
          },
        });
    },
  });
  const fastify = adapter.getInstance();
  // One request id per request, chosen before anything logs, echoed to the caller.
  fastify.addHook('onRequest', (request, reply, done) => {
    const id = requestIdFrom(request.headers[REQUEST_ID_HEADER]);
    request.headers[REQUEST_ID_HEADER] = id;
    void reply.header(REQUEST_ID_HEADER, id);
    if (request.url.length > MAX_URL_LENGTH) {
      void reply.code(414).send({
        error: {
          code: ErrorCode.URI_TOO_LONG,
          message: `The URL is longer than ${MAX_URL_LENGTH} characters`,
          requestId: id,
        },
      });
      return;
    }
    done();
  });
  acceptEmptyJsonBodies(fastify);
  const routes = new RouteIndex();
  fastify.addHook('onRoute', (route) => routes.add(route.method, route.url));

  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot(config), adapter, {
    bufferLogs: true,
    // JSON is parsed by acceptEmptyJsonBodies; other content types are refused (415).
    bodyParser: false,
  });
  app.useLogger(app.get(AppLogger));
  observeRequests(fastify, app.get(AppMetrics), app.get(AppLogger), app.get(FailedAuthLimiter));
  app.useGlobalFilters(new HttpErrorFilter(routes));
  app.useGlobalInterceptors(new RequestContextInterceptor());
  mountOpenApi(app);
  return app;
}

/**
 * One access line per request (method, route, status, duration, request id, principal kind; a
 * 5xx at error, anything else at info) and its latency in
 * `tn1_request_duration_seconds{transport="http"}` by route template and status. Probes and
 * metrics scrapes are counted but not logged.
 */
function observeRequests(
  fastify: FastifyInstance,
  metrics: AppMetrics,
  logger: AppLogger,
  failedAuth: FailedAuthLimiter,
): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    // A 401 to presented credentials (bad key, token or password) counts against the address.
    if (reply.statusCode === 401 && carriesCredentials(request)) void failedAuth.record(request.ip);
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    const seconds = reply.elapsedTime / 1000;
    metrics.requestDuration.labels('http', `${request.method} ${route}`, String(status)).observe(seconds);
    if (!route.startsWith('/health') && route !== '/metrics') {
      const line = {
        msg: 'http request',
        requestId: String(request.headers[REQUEST_ID_HEADER]),
        method: request.method,
        route,
        status,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        principal: (request as { principal?: { kind: string } }).principal?.kind ?? 'anonymous',
      };
      if (accessLevel(status) === 'error') logger.error(line, 'access');
      else logger.log(line, 'access');
    }
    done();
  });
}

/**
 * Clients (and some HTTP libraries) send `Content-Type: application/json` on a DELETE or a POST
 * without a body; Fastify's JSON parser refuses that with a 400. An empty body means "no body";
 * anything else goes to the default parser, which keeps its prototype-poisoning protection.
 */
function acceptEmptyJsonBodies(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    void parseJson(request, text, done);
  });
}

interface OpenApiOperation {
  summary?: string;
  tags?: string[];
  security?: unknown[];
  responses?: Record<string, unknown>;
}

const CHECKS_SCHEMA = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    required: ['status', 'ms'],
    properties: {
      status: { type: 'string', enum: ['up', 'down'] },
      error: { type: 'string' },
      ms: { type: 'integer' },
    },
  },
};

/** A JSON response of the probes (libs/observability/src/health.ts). */
function jsonResponse(description: string, schema: Record<string, unknown>): Record<string, unknown> {
  return { description, content: { 'application/json': { schema } } };
}

/**
 * The probes and metrics every app serves (libs/observability): public, no credentials, each
 * with the bodies it answers so a client (or a contract test) can check them.
 */
const PLATFORM_ROUTES: Record<string, OpenApiOperation> = {
  '/health/live': {
    summary: 'Liveness: the process answers',
    responses: {
      200: jsonResponse('The process answers', {
        type: 'object',
        required: ['status'],
        properties: { status: { type: 'string', const: 'ok' } },
      }),
    },
  },
  '/health/ready': {
    summary: 'Readiness: PostgreSQL, Redis, NATS and every service answer (503 names what is down)',
    responses: {
      200: jsonResponse('Every check is up', {
        type: 'object',
        required: ['status', 'checks'],
        properties: { status: { type: 'string', const: 'ok' }, checks: CHECKS_SCHEMA },
      }),
      503: jsonResponse('A check is down: `down` names which', {
        type: 'object',
        required: ['status', 'checks', 'down'],
        properties: {
          status: { type: 'string', const: 'unavailable' },
          checks: CHECKS_SCHEMA,
          down: { type: 'array', items: { type: 'string' } },
        },
      }),
    },
  },
  '/metrics': {
    summary: 'Prometheus metrics of the gateway',
    responses: {
      200: {
        description: 'The Prometheus text exposition format',
        content: { 'text/plain': { schema: { type: 'string' } } },
      },
    },
  },
};

function describePlatformRoutes(document: { paths: Record<string, Record<string, OpenApiOperation>> }): void {
  for (const [path, described] of Object.entries(PLATFORM_ROUTES)) {
    const get = document.paths[path]?.['get'];
    if (!get) throw new Error(`OpenAPI: the platform route ${path} is missing`);
    Object.assign(get, { ...described, tags: ['platform'], security: [] });
  }
}

function mountOpenApi(app: NestFastifyApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('TRUST-NO-1 World Services')
      .setDescription('HTTP API v1 for game servers, players and operators (SPEC §7).')
      .setVersion('1')
      .setOpenAPIVersion('3.1.0')
      .addServer('/', 'This gateway')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Player session token' }, 'player')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Server-Key' }, 'server')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Admin-Key' }, 'admin')
      .build(),
  );
  addOperationsTo(document as unknown as Parameters<typeof addOperationsTo>[0], GATEWAY_OPERATIONS);
  describePlatformRoutes(document as unknown as { paths: Record<string, Record<string, OpenApiOperation>> });
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}
