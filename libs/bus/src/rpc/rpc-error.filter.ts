import { ArgumentsHost, Catch, Logger, RpcExceptionFilter } from '@nestjs/common';
import { AppError } from '@trustno1/contracts';
import { Observable, throwError } from 'rxjs';
import { currentRequestId } from '../request-context';
import { toWireError } from './wire-errors';

/**
 * Maps whatever a NATS handler throws to the `{code, message, details}` envelope.
 * AppErrors are expected outcomes and cross as they are; anything else is a bug:
 * it is logged here (with the request id) and crosses as a bare INTERNAL.
 */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('RpcErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    if (!(exception instanceof AppError)) {
      const where = `${patternOf(host) ?? '?'} requestId=${currentRequestId() ?? '-'}`;
      this.logger.error(`Unhandled error in NATS handler ${where}`, stackOf(exception));
    }
    return throwError(() => toWireError(exception));
  }
}

function patternOf(host: ArgumentsHost): string | undefined {
  const ctx = host.switchToRpc().getContext<{ getSubject?: () => string }>();
  return typeof ctx?.getSubject === 'function' ? ctx.getSubject() : undefined;
}

function stackOf(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}
