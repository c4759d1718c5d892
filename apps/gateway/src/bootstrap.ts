import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { GatewayConfig } from '@trustno1/config';
import { REQUEST_ID_HEADER, requestIdFrom } from '@trustno1/observability';
import { HttpErrorFilter } from './errors/http-error.filter';
import { GatewayModule } from './gateway.module';
import { addOperationsTo } from './operations/openapi';
import { GATEWAY_OPERATIONS } from './operations/operations.module';
import { RequestContextInterceptor } from './request-context/request-context.interceptor';

/** Builds the gateway app (not listening yet): used by main.ts, the end-to-end tests and the bench. */
export async function createGateway(config: GatewayConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: config.BODY_LIMIT_BYTES, trustProxy: true });
  const fastify = adapter.getInstance();
  // One request id per request, chosen before anything logs, echoed to the caller.
  fastify.addHook('onRequest', (request, reply, done) => {
    const id = requestIdFrom(request.headers[REQUEST_ID_HEADER]);
    request.headers[REQUEST_ID_HEADER] = id;
    void reply.header(REQUEST_ID_HEADER, id);
    done();
  });
  acceptEmptyJsonBodies(fastify);

  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot(config), adapter, {
    bufferLogs: true,
    // JSON is parsed by acceptEmptyJsonBodies; other content types are refused (415).
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new HttpErrorFilter());
  app.useGlobalInterceptors(new RequestContextInterceptor());
  mountOpenApi(app);
  return app;
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

function mountOpenApi(app: NestFastifyApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('TRUST-NO-1 World Services')
      .setDescription('HTTP API v1 for game servers, players and operators (SPEC §7).')
      .setVersion('1')
      .setOpenAPIVersion('3.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Player session token' }, 'player')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Server-Key' }, 'server')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Admin-Key' }, 'admin')
      .build(),
  );
  addOperationsTo(document as unknown as Parameters<typeof addOperationsTo>[0], GATEWAY_OPERATIONS);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}
