import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Module, type DynamicModule, type LoggerService } from '@nestjs/common';
import { pino as createPino, type Level, type Logger as PinoLogger } from 'pino';

/** Header that carries one request id from the gateway across NATS into every service. */
export const REQUEST_ID_HEADER = 'x-request-id';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{8,128}$/;

/** Paths in every log record that must never be written out. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-server-key"]',
  'req.headers["x-admin-key"]',
  'req.headers.cookie',
  '*.password',
  '*.passwordHash',
  '*.token',
  '*.apiKey',
  '*.secret',
  '*.totp',
];

/** Keeps a caller's request id when it is well formed, otherwise makes a new one. */
export function requestIdFrom(value: unknown): string {
  return typeof value === 'string' && REQUEST_ID_PATTERN.test(value) ? value : randomUUID();
}

export interface LoggingOptions {
  service: string;
  level: string;
  /** The request id of the work in progress (the bus's context), bound to every line. */
  requestId?: () => string | undefined;
}

const LOGGER = Symbol('PINO_LOGGER');

/**
 * JSON logs through pino, as Nest's logger (`app.useLogger(app.get(AppLogger))`). Every line
 * written while a request is in progress carries its `requestId` (HTTP: the id the gateway chose
 * on arrival; NATS: the id of the message being handled). No automatic per-request lines: the
 * gateway writes one access line per HTTP request and the services one line per NATS request they
 * refuse or fail (`accessLevel`).
 *
 * The Nest call shapes: `log('text', 'context')`; `log({...fields, msg}, 'context')` and
 * `log({...fields}, 'text', 'context')` put the fields into the line; `error('text', stack, 'context')` and `error(err, 'context')`.
 */
@Injectable()
export class AppLogger implements LoggerService {
  constructor(@Inject(LOGGER) readonly pino: PinoLogger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const rest = [...params];
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? rest.pop() : undefined;
    const fields: Record<string, unknown> = context === undefined ? {} : { context };
    if (message instanceof Error) {
      this.pino[level]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      // `warn({...fields}, 'text')` from Nest's Logger: the text is the message.
      const { msg, ...others } = message as Record<string, unknown>;
      const text = typeof msg === 'string' ? msg : typeof rest[0] === 'string' ? rest[0] : undefined;
      this.pino[level]({ ...fields, ...others }, text);
    } else {
      // Nest's error(message, stack, context): the stack comes before the context.
      const stack = level === 'error' && typeof rest[0] === 'string' ? rest[0] : undefined;
      this.pino[level](stack ? { ...fields, stack } : fields, String(message));
    }
  }
}

/** The app's pino instance and its Nest logger, for every module (global). */
export function loggingModule(options: LoggingOptions): DynamicModule {
  const pino = createPino({
    level: options.level,
    base: { service: options.service },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    mixin: () => {
      const requestId = options.requestId?.();
      return requestId ? { requestId } : {};
    },
  });
  return {
    module: LoggingModule,
    global: true,
    providers: [{ provide: LOGGER, useValue: pino }, AppLogger],
    exports: [AppLogger],
  };
}

@Module({})
class LoggingModule {}

/**
 * The level of a request's access line: a 5xx (or INTERNAL / UNAVAILABLE over NATS) is an error
 * worth a look; a refusal (4xx) is the caller's business and logged at info without a stack.
 */
export function accessLevel(status: number): 'info' | 'error' {
  return status >= 500 ? 'error' : 'info';
}
