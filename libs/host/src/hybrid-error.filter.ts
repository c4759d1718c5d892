import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { BaseExceptionFilter, type HttpAdapterHost } from '@nestjs/core';
import { RpcErrorFilter } from '@trustno1/bus';

/**
 * A service app is hybrid: NATS handlers must answer with the error envelope, while its few HTTP
 * routes (health, metrics) keep Nest's default HTTP handling.
 */
@Catch()
export class HybridErrorFilter implements ExceptionFilter {
  private readonly rpc = new RpcErrorFilter();
  private readonly http: BaseExceptionFilter;

  constructor(adapterHost: HttpAdapterHost) {
    this.http = new BaseExceptionFilter(adapterHost.httpAdapter);
  }

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType() === 'rpc') return this.rpc.catch(exception, host);
    return this.http.catch(exception, host);
  }
}
