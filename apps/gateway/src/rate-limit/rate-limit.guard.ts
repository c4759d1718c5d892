import { Inject, Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppError, ErrorCode, principalKey, type Principal } from '@trustno1/contracts';
import { REDIS, RedisKeys } from '@trustno1/redis';
import type { AuthedRequest } from '../auth/auth.guard';

export const RATE_LIMITS = Symbol('RATE_LIMITS');

/** Requests per minute for each kind of caller; admins are not limited. */
export interface RateLimits {
  anonymous: number;
  player: number;
  server: number;
}

const WINDOW_MS = 60_000;

/**
 * Fixed one-minute windows per principal (per IP for anonymous callers), counted in Redis so every
 * gateway replica shares them. Runs after the AuthGuard. If Redis fails the request goes through:
 * availability of the game wins over throttling, and the failure is logged.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly logger = new Logger('rate-limit');

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(RATE_LIMITS) private readonly limits: RateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const principal = request.principal;
    if (!principal || principal.kind === 'admin') return true;
    const limit = this.limits[principal.kind];
    const subject = principal.kind === 'anonymous' ? `ip:${request.ip}` : principalKey(principal);
    const now = Date.now();
    const window = Math.floor(now / WINDOW_MS);
    const count = await this.count(subject, window);
    if (count === undefined || count <= limit) return true;
    const retryAfterSeconds = Math.ceil(((window + 1) * WINDOW_MS - now) / 1000);
    throw new AppError(ErrorCode.RATE_LIMITED, `Too many requests; retry in ${retryAfterSeconds} s`, {
      retryAfterSeconds,
      limitPerMinute: limit,
    });
  }

  private async count(subject: string, window: number): Promise<number | undefined> {
    const key = RedisKeys.rateLimit(subject, window);
    try {
      const results = await this.redis
        .multi()
        .incr(key)
        .pexpire(key, WINDOW_MS * 2)
        .exec();
      return Number(results?.[0]?.[1]);
    } catch (error) {
      this.logger.warn({ err: error }, 'rate limit not counted: Redis failed');
      return undefined;
    }
  }
}

/** Reads the principal kind a limit applies to (for tests and docs). */
export function limitFor(limits: RateLimits, principal: Principal): number | null {
  return principal.kind === 'admin' ? null : limits[principal.kind];
}
