import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { REQUEST_ID_HEADER } from '@trustno1/observability';
import { toHttpError } from './http-errors';

/** Sends `{"error": {code, message, details?, requestId}}` for everything a route throws. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendError(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), exception, this.logger);
  }
}

function sendError(request: FastifyRequest, reply: FastifyReply, exception: unknown, logger: Logger): void {
  const requestId = String(request.headers[REQUEST_ID_HEADER] ?? '');
  const { status, envelope, retryAfterSeconds } = toHttpError(exception);
  if (status >= 500 && envelope.code !== 'UNAVAILABLE') {
    logger.error({ requestId, err: exception }, 'unhandled error');
  }
  if (retryAfterSeconds !== undefined) void reply.header('Retry-After', String(Math.ceil(retryAfterSeconds)));
  void reply.status(status).send({ error: { ...envelope, requestId } });
}
