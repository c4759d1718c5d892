import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { runWithRequestId } from '@trustno1/bus';
import { REQUEST_ID_HEADER } from '@trustno1/observability';

/** Runs each route inside the request's id, so NATS calls carry it to the services. */
@Injectable()
export class RequestContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const requestId = String(request.headers[REQUEST_ID_HEADER]);
    return new Observable((subscriber) =>
      runWithRequestId(requestId, () => next.handle().subscribe(subscriber)),
    );
  }
}
