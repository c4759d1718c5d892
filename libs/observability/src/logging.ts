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

interface NatsLikeContext {
  getHeaders?: () => { get?: (name: string) => string } | undefined;
}

/** JSON logs through pino for HTTP requests and NATS messages, with the request id bound. */
export function loggingModule(options: { service: string; level: string }): DynamicModule {
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
      autoLogging: {
        ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') || req.url === '/metrics',
      },
    },
    microservice: {
      customAttributeKeys: { reqId: 'requestId' },
      genReqId: (ctx) => {
        const natsCtx = ctx.switchToRpc().getContext<NatsLikeContext>();
        return requestIdFrom(natsCtx?.getHeaders?.()?.get?.(REQUEST_ID_HEADER));
      },
    },
  });
}
