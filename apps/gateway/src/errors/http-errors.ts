import { HttpException } from '@nestjs/common';
import { AppError, ErrorCode, httpStatusOf, type ErrorEnvelope } from '@trustno1/contracts';

export interface HttpError {
  status: number;
  envelope: ErrorEnvelope;
  retryAfterSeconds?: number;
}

const INTERNAL: ErrorEnvelope = { code: ErrorCode.INTERNAL, message: 'Internal error' };

/** Errors raised by Fastify itself (body parsing, size limits) carry a status and a code. */
interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
}

/** Maps anything a route or Fastify throws to a status and the public envelope of SPEC §7. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof AppError) {
    const retry = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    return {
      status: httpStatusOf(error.code),
      envelope: error.toEnvelope(),
      retryAfterSeconds: typeof retry === 'number' ? retry : undefined,
    };
  }
  const status = error instanceof HttpException ? error.getStatus() : (error as FastifyLikeError)?.statusCode;
  switch (status) {
    case 400:
      return validation(error);
    case 404:
      return { status: 404, envelope: { code: ErrorCode.NOT_FOUND, message: 'No such route' } };
    case 405:
      return wrongMethod();
    case 413:
      return {
        status: 413,
        envelope: { code: ErrorCode.PAYLOAD_TOO_LARGE, message: 'Request body too large' },
      };
    case 415:
      return {
        status: 415,
        envelope: { code: ErrorCode.VALIDATION_FAILED, message: 'Content-Type must be application/json' },
      };
    default:
      return { status: 500, envelope: INTERNAL };
  }
}

/** 405: the path exists, under other methods (the filter adds `Allow`). */
export function wrongMethod(method?: string): HttpError {
  return {
    status: 405,
    envelope: {
      code: ErrorCode.METHOD_NOT_ALLOWED,
      message: method ? `${method} is not allowed on this route` : 'Method not allowed on this route',
    },
  };
}

function validation(error: unknown): HttpError {
  // Nest wraps Fastify's own errors (body parsing) in an HttpException whose cause is the original.
  const cause = error instanceof HttpException ? error.cause : error;
  const code = (cause as FastifyLikeError)?.code ?? '';
  const malformed = code.startsWith('FST_ERR_CTP') || cause instanceof SyntaxError;
  const message = malformed ? 'Malformed JSON body' : 'Bad request';
  return {
    status: 400,
    envelope: {
      code: ErrorCode.VALIDATION_FAILED,
      message,
      details: { fields: [{ field: '(body)', message }] },
    },
  };
}
