import 'reflect-metadata';
import { Module, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';

import {
  BusClient,
  type BusReplyEvent,
  CallerAuthenticator,
  createBusServer,
  DEVELOPMENT_SIGNING_KEYS,
  PrincipalSeal,
} from '@trustno1/bus';
import { AccountsOps, httpStatusOf, type Service } from '@trustno1/contracts';
import { natsUrlOf, principalSigningKeys, type ServiceConfig } from '@trustno1/config';
import { accessLevel, AppLogger, AppMetrics, HealthRegistry } from '@trustno1/observability';
import { sqlErrorOf } from '@trustno1/db';
import { HybridErrorFilter } from './hybrid-error.filter';
import { InfraModule } from './infra.module';
import { pingController } from './ping.controller';

type Imported = Type<unknown> | DynamicModule;

export interface HostOptions<C extends ServiceConfig> {
  app: Service | 'worker';
  config: C;
  /** The app's feature modules. */
  imports: Imported[];
  /** Serve NATS request/reply (the six services); the worker only uses the client. */
  natsServer: boolean;
  /** Install SIGTERM/SIGINT handlers (off when tests start several apps in one process). */
  handleSignals?: boolean;
}

@Module({})
class ServiceRootModule {}

function rootModule<C extends ServiceConfig>(options: HostOptions<C>): DynamicModule {
  return {
    module: ServiceRootModule,
    imports: [InfraModule.forRoot({ app: options.app, config: options.config }), ...options.imports],
    controllers: options.natsServer && options.app !== 'worker' ? [pingController(options.app)] : [],
  };
}

/**
 * Starts a service app: health and metrics over HTTP on HEALTH_PORT, NATS request/reply when
 * asked, and a graceful shutdown on SIGTERM/SIGINT (readiness turns 503, NATS subscriptions
 * drain, queues and pools close, then the process exits).
 */
export async function startService<C extends ServiceConfig>(
  options: HostOptions<C>,
): Promise<INestApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(rootModule(options), new FastifyAdapter(), {
    bufferLogs: true,
  });
  app.useLogger(app.get(AppLogger));
  if (options.natsServer) {
    // Before connecting: NATS listeners bind their exception filters when they are registered.
    app.useGlobalFilters(new HybridErrorFilter(app.get(HttpAdapterHost)));
    app.connectMicroservice(
      {
        strategy: createBusServer({
          natsUrl: natsUrlOf(options.config, options.app),
          serviceName: options.app,
          subjectPrefix: options.config.NATS_SUBJECT_PREFIX,
          shutdownGraceMs: options.config.SHUTDOWN_GRACE_MS,
          authenticator: callerAuthenticator(app.get(BusClient), options.config),
          onReply: replyObserver(app, options.config.LOG_LEVEL),
        }),
      },
      { inheritAppConfig: true },
    );
    await app.startAllMicroservices();
  }
  await app.listen(options.config.HEALTH_PORT, '0.0.0.0');
  if (options.handleSignals ?? true) installShutdown(app, options.config.SHUTDOWN_GRACE_MS);
  app.get(AppLogger).log(`${options.app} ready, health on port ${options.config.HEALTH_PORT}`, 'host');
  return app;
}

/**
 * Every NATS request answered: its latency in `tn1_request_duration_seconds{transport="nats"}` by
 * subject and code, and a log line when it was refused or failed (info for a refusal, error for
 * INTERNAL / UNAVAILABLE); answered requests log at debug, to keep the hot path quiet.
 */
function replyObserver(app: INestApplication, logLevel: string): (event: BusReplyEvent) => void {
  const metrics = app.get(AppMetrics);
  const logger = app.get(AppLogger);
  // Answered requests are logged only at debug: no line is even built on the hot path otherwise.
  const logAnswered = logLevel === 'debug' || logLevel === 'trace';
  return (event) => {
    metrics.requestDuration.labels('nats', event.subject, event.code).observe(event.seconds);
    if (event.code === 'OK' && !logAnswered) return;
    const line = {
      requestId: event.requestId,
      subject: event.subject,
      code: event.code,
      principal: event.principal,
      ms: Math.round(event.seconds * 10_000) / 10,
    };
    // AppLogger: an object's fields go into the line, the last string is the context.
    if (event.code === 'OK') logger.debug({ ...line, msg: 'nats request' }, 'bus');
    else if (accessLevel(httpStatusOf(event.code)) === 'error')
      logger.error({ ...line, msg: 'nats request failed' }, 'bus');
    else logger.log({ ...line, msg: 'nats request refused' }, 'bus');
  };
}

/**
 * Sealed principals are checked with the shared keys; a game server calling NATS directly is
 * authenticated by its key exactly as the gateway does it, through the accounts service.
 */
function callerAuthenticator(bus: BusClient, config: ServiceConfig): CallerAuthenticator {
  const seal = new PrincipalSeal(principalSigningKeys(config) ?? DEVELOPMENT_SIGNING_KEYS);
  return new CallerAuthenticator(seal, async (apiKey) => {
    const server = await bus.call(AccountsOps.authenticateServer, { apiKey });
    return { kind: 'server', serverId: server.serverId, region: server.region };
  });
}

/** On SIGTERM/SIGINT: fail readiness, close the app within the grace period, exit. */
export function installShutdown(app: INestApplication, graceMs: number): void {
  let closing = false;
  const stop = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    app.get(HealthRegistry).markShuttingDown();
    app.get(AppLogger).log(`shutting down on ${signal}`, 'host');
    const forced = setTimeout(() => process.exit(1), graceMs + 5_000);
    forced.unref();
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** Logs a start-up failure in one JSON line and exits non-zero. */
export function exitOnStartupFailure(app: string): (error: unknown) => never {
  return (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    const fix = startupFix(error);
    process.stderr.write(
      `${JSON.stringify({ level: 'fatal', service: app, msg: 'start-up failed', error: message, ...(fix ? { fix } : {}) })}\n`,
    );
    if (fix) process.stderr.write(`${app}: ${fix}\n`);
    process.exit(1);
  };
}

/**
 * What to do about a start-up failure a newcomer meets first: a database not created or not
 * migrated, NATS credentials missing or wrong.
 */
export function startupFix(error: unknown): string | undefined {
  const code = sqlErrorOf(error)?.code;
  const text = error instanceof Error ? error.message : String(error);
  if (code === '3D000' || /database "[^"]+" does not exist/.test(text))
    return 'the database does not exist: run `npm run db:migrate` (it creates and migrates it), or `npm run dev`, which does both';
  if (code === '42P01' || code === '3F000' || /(table|relation|schema) .* does not exist/.test(text))
    return 'the database is not migrated: run `npm run db:migrate`';
  if (/Authorization Violation|AuthorizationError/i.test(text))
    return "NATS refused the app's credentials: set NATS_USER (default: the app's name) and NATS_PASSWORD to a user of k8s/base/nats/auth.conf (locally: `npm run nats` prints them)";
  return undefined;
}
