/** Stable error codes shared by the gateway, services, stored procedures and the SDK. */
export const ErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  TOTP_REQUIRED: 'TOTP_REQUIRED',
  TOTP_INVALID: 'TOTP_INVALID',
  FORBIDDEN: 'FORBIDDEN',
  ACCOUNT_BANNED: 'ACCOUNT_BANNED',
  NOT_FOUND: 'NOT_FOUND',
  USERNAME_TAKEN: 'USERNAME_TAKEN',
  EMAIL_TAKEN: 'EMAIL_TAKEN',
  NAME_TAKEN: 'NAME_TAKEN',
  SLOT_OCCUPIED: 'SLOT_OCCUPIED',
  ALREADY_ONLINE: 'ALREADY_ONLINE',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  CONFLICT: 'CONFLICT',
  OUT_OF_BOUNDS: 'OUT_OF_BOUNDS',
  OVER_WEIGHT: 'OVER_WEIGHT',
  INSUFFICIENT_FUNDS: 'INSUFFICIENT_FUNDS',
  INSUFFICIENT_RESOURCES: 'INSUFFICIENT_RESOURCES',
  INSUFFICIENT_QUANTITY: 'INSUFFICIENT_QUANTITY',
  BUILD_BLOCKED: 'BUILD_BLOCKED',
  LIMIT_REACHED: 'LIMIT_REACHED',
  INVENTORY_LOCKED: 'INVENTORY_LOCKED',
  LISTING_SOLD_OUT: 'LISTING_SOLD_OUT',
  LISTING_EXPIRED: 'LISTING_EXPIRED',
  LISTING_CANCELLED: 'LISTING_CANCELLED',
  OWN_LISTING: 'OWN_LISTING',
  ALREADY_IN_FACTION: 'ALREADY_IN_FACTION',
  TAG_TAKEN: 'TAG_TAKEN',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  URI_TOO_LONG: 'URI_TOO_LONG',
  RATE_LIMITED: 'RATE_LIMITED',
  UNAVAILABLE: 'UNAVAILABLE',
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * The codes the platform's shared SQL functions raise (prisma/sql/platform/: idempotency_claim);
 * every owner whose operations call them lists them among its own codes too.
 */
export const PlatformErrors = {
  IDEMPOTENCY_KEY_REUSED: ErrorCode.IDEMPOTENCY_KEY_REUSED,
} as const satisfies { [K in ErrorCode]?: K };

/** HTTP status of each code (SPEC §7). Codes not listed here are 409 conflicts. */
const STATUS: Partial<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  TOTP_REQUIRED: 401,
  TOTP_INVALID: 401,
  FORBIDDEN: 403,
  ACCOUNT_BANNED: 403,
  NOT_FOUND: 404,
  OUT_OF_BOUNDS: 422,
  OVER_WEIGHT: 422,
  INSUFFICIENT_FUNDS: 422,
  INSUFFICIENT_RESOURCES: 422,
  INSUFFICIENT_QUANTITY: 422,
  BUILD_BLOCKED: 422,
  LIMIT_REACHED: 422,
  OWN_LISTING: 422,
  ALREADY_IN_FACTION: 409,
  TAG_TAKEN: 409,
  INVENTORY_LOCKED: 423,
  PAYLOAD_TOO_LARGE: 413,
  METHOD_NOT_ALLOWED: 405,
  URI_TOO_LONG: 414,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** Maps an error code to its HTTP status. */
export function httpStatusOf(code: string): number {
  return STATUS[code as ErrorCode] ?? (isKnownCode(code) ? 409 : 500);
}

/** True when `code` is one of the shared error codes. */
export function isKnownCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ErrorCode, code);
}

/** The wire shape of an error, on NATS and inside the HTTP `error` object. */
export interface ErrorEnvelope {
  code: string;
  message: string;
  details?: unknown;
}

/** An expected failure with a stable code; everything else is INTERNAL. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toEnvelope(): ErrorEnvelope {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  /** Rebuilds an AppError from an envelope that crossed the bus. */
  static fromEnvelope(env: ErrorEnvelope): AppError {
    const code = isKnownCode(env.code) ? env.code : ErrorCode.INTERNAL;
    return new AppError(code, env.message, env.details);
  }
}

/** True when `value` looks like an error envelope. */
export function isErrorEnvelope(value: unknown): value is ErrorEnvelope {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorEnvelope).code === 'string' &&
    typeof (value as ErrorEnvelope).message === 'string'
  );
}
