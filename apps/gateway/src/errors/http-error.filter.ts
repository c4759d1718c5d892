import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { REQUEST_ID_HEADER } from '@trustno1/observability';
import { toHttpError, wrongMethod, type HttpError } from './http-errors';
import type { RouteIndex } from './route-index';

/**
 * Sends `{"error": {code, message, details?, requestId}}` for everything a route throws; a path
 * that exists under other methods is 405 with `Allow`, not 404.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  constructor(private readonly routes?: RouteIndex) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    let error = toHttpError(exception);
    if (error.status === 404 && error.envelope.message === 'No such route' && this.routes) {
      const allowed = this.routes.methodsAt(request.url);
      if (allowed.length > 0 && !allowed.includes(request.method)) {
        error = wrongMethod(request.method);
        void reply.header('Allow', allowed.join(', '));
      }
    }
    sendError(request, reply, error, exception, this.logger);
  }
}

function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  { status, envelope, retryAfterSeconds }: HttpError,
  exception: unknown,
  logger: Logger,
): void {
  const requestId = String(request.headers[REQUEST_ID_HEADER] ?? '');
  if (status >= 500 && envelope.code !== 'UNAVAILABLE') {
    logger.error({ requestId, err: exception }, 'unhandled error');
  }
  if (retryAfterSeconds !== undefined) void reply.header('Retry-After', String(Math.ceil(retryAfterSeconds)));
  void reply.status(status).send({ error: { ...envelope, requestId } });
}
