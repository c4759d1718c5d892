import { AppError, ErrorCode, type ErrorEnvelope, isErrorEnvelope } from '@trustno1/contracts';

/** The envelope every unexpected failure becomes: nothing of the cause leaks. */
export const INTERNAL_ENVELOPE: ErrorEnvelope = Object.freeze({
  code: ErrorCode.INTERNAL,
  message: 'Internal error',
});

/** Maps anything thrown by a handler to the wire envelope. */
export function toWireError(err: unknown): ErrorEnvelope {
  return err instanceof AppError ? err.toEnvelope() : INTERNAL_ENVELOPE;
}

/** Keeps only the envelope fields of something that already is one. */
export function sanitizeEnvelope(env: ErrorEnvelope): ErrorEnvelope {
  return env.details === undefined
    ? { code: env.code, message: env.message }
    : { code: env.code, message: env.message, details: env.details };
}

/**
 * Maps what a request rejected with to the AppError the caller sees: a remote
 * envelope keeps its code; everything else (no responder, timeout, connection
 * lost) means the service could not be reached. The public error names only the
 * service (the subject's first segment); the subject and the transport's reason
 * are for the log (`unavailableCause`).
 */
export function toClientError(err: unknown, pattern: string): AppError {
  if (err instanceof AppError) return err;
  // Remote envelopes arrive as plain JSON objects; local Errors never are one.
  if (!(err instanceof Error) && isErrorEnvelope(err)) return AppError.fromEnvelope(err);
  const service = pattern.split('.')[0] || 'service';
  return new AppError(ErrorCode.UNAVAILABLE, `The ${service} service is unavailable; retry later`, {
    service,
  });
}

/** What the log says about a request that found no service: subject and transport reason. */
export function unavailableCause(err: unknown, pattern: string): { subject: string; reason: string } {
  return { subject: pattern, reason: describe(err) };
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.name === 'Error' ? err.message : err.name;
  return typeof err === 'string' ? err : 'unknown';
}
