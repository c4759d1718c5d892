import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { BaseExceptionFilter, type HttpAdapterHost } from '@nestjs/core';
import { RpcErrorFilter } from '@trustno1/bus';
import { databaseUnavailable } from '@trustno1/db';

/**
 * A service app is hybrid: NATS handlers must answer with the error envelope, while its few HTTP
 * routes (health, metrics) keep Nest's default HTTP handling. An overloaded or unreachable
 * database is not a bug: it crosses as 503 UNAVAILABLE (logged as a warning), so callers retry.
 */
@Catch()
export class HybridErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HybridErrorFilter');
  private readonly rpc = new RpcErrorFilter();
  private readonly http: BaseExceptionFilter;

  constructor(adapterHost: HttpAdapterHost) {
    this.http = new BaseExceptionFilter(adapterHost.httpAdapter);
  }

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType() !== 'rpc') return this.http.catch(exception, host);
    const unavailable = databaseUnavailable(exception);
    if (unavailable) {
      const cause = exception instanceof Error ? exception.message : String(exception);
      const { reason } = unavailable.details as { reason: string };
      this.logger.warn(`database unavailable (${reason}): ${cause}`);
      return this.rpc.catch(unavailable, host);
    }
    return this.rpc.catch(exception, host);
  }
}
