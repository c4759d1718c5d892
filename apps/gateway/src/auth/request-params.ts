import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { AppError, ErrorCode, type Principal } from '@trustno1/contracts';
import type { AuthedRequest } from './auth.guard';

/** The principal the AuthGuard resolved (anonymous on public routes without credentials). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest<AuthedRequest>().principal ?? { kind: 'anonymous' };
});

const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The `Idempotency-Key` header of a request, validated; undefined when absent. */
export function idempotencyKeyOf(request: AuthedRequest): string | undefined {
  const raw = request.headers['idempotency-key'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined) return undefined;
  if (!IDEMPOTENCY_KEY_PATTERN.test(value)) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, 'Invalid Idempotency-Key', {
      fields: [{ field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' }],
    });
  }
  return value;
}

/** The `Idempotency-Key` header, validated; undefined when absent. */
export const IdempotencyKey = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): string | undefined =>
    idempotencyKeyOf(ctx.switchToHttp().getRequest<AuthedRequest>()),
);
