import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { DynamicModule } from '@nestjs/common';

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

/**
 * JSON logs through pino. Every line written while a request is in progress carries its
 * `requestId` (HTTP: the id chosen on arrival; NATS: the id of the message being handled). No
 * automatic per-request lines: the gateway writes one access line per HTTP request and the
 * services one line per NATS request they refuse or fail (`accessLevel`).
 */
export function loggingModule(options: LoggingOptions): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      level: options.level,
      base: { service: options.service },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      genReqId: (req: IncomingMessage) => {
        const id = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
        req.headers[REQUEST_ID_HEADER] = id;
        return id;
      },
      customAttributeKeys: { reqId: 'requestId' },
      autoLogging: false,
      mixin: () => {
        const requestId = options.requestId?.();
        return requestId ? { requestId } : {};
      },
    },
  });
}

/**
 * The level of a request's access line: a 5xx (or INTERNAL / UNAVAILABLE over NATS) is an error
 * worth a look; a refusal (4xx) is the caller's business and logged at info without a stack.
 */
export function accessLevel(status: number): 'info' | 'error' {
  return status >= 500 ? 'error' : 'info';
}
