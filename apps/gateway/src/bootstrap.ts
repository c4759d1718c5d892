import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { GatewayConfig } from '@trustno1/config';
import { REQUEST_ID_HEADER, requestIdFrom } from '@trustno1/observability';
import { HttpErrorFilter } from './errors/http-error.filter';
import { GatewayModule } from './gateway.module';
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

  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot(config), adapter, {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new HttpErrorFilter());
  app.useGlobalInterceptors(new RequestContextInterceptor());
  mountOpenApi(app);
  return app;
}

function mountOpenApi(app: NestFastifyApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('TRUST-NO-1 World Services')
      .setDescription('HTTP API v1 for game servers, players and operators (SPEC §7).')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Player session token' }, 'player')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Server-Key' }, 'server')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Admin-Key' }, 'admin')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}
