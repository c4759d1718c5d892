import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppError, ErrorCode } from '@trustno1/contracts';
import { REDIS, RedisKeys } from '@trustno1/redis';

export const FAILED_AUTH_LIMIT = Symbol('FAILED_AUTH_LIMIT');

const WINDOW_MS = 60_000;
/** Addresses remembered as suspects at once; past it the oldest are forgotten. */
const MAX_SUSPECTS = 100_000;

/**
 * Failed authentications per address (a bad server key, session token or admin key, a failed
 * login: every 401), in one-minute windows shared through Redis. Past the limit, the address's
 * requests that carry credentials or log in are refused with 429 before anything checks them: a
 * flood of guessed keys or passwords reaches neither the accounts service, PostgreSQL nor Argon2.
 * If Redis fails, requests go through (the game stays up) and the failure is logged.
 *
 * Only an address this replica saw fail in the last two windows is looked up in Redis, so the
 * game servers' and players' good requests cost no extra round trip; an address that fails on
 * another replica is checked here from its first failure here on.
 */
@Injectable()
export class FailedAuthLimiter {
  private readonly logger = new Logger('rate-limit');
  /** Address → until when (ms) it is checked in Redis. Insertion order is age order. */
  private readonly suspects = new Map<string, number>();

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(FAILED_AUTH_LIMIT) private readonly limit: number,
  ) {}

  /** Throws RATE_LIMITED when `address` failed too often in this window. */
  async check(address: string): Promise<void> {
    const now = Date.now();
    const until = this.suspects.get(address);
    if (until === undefined) return;
    if (until < now) {
      this.suspects.delete(address);
      return;
    }
    const window = Math.floor(now / WINDOW_MS);
    let failures: number;
    try {
      failures = Number((await this.redis.get(this.key(address, window))) ?? 0);
    } catch (error) {
      this.logger.warn({ err: error }, 'failed authentications not checked: Redis failed');
      return;
    }
    if (failures < this.limit) return;
    const retryAfterSeconds = Math.ceil(((window + 1) * WINDOW_MS - now) / 1000);
    throw new AppError(
      ErrorCode.RATE_LIMITED,
      `Too many failed authentications from this address; retry in ${retryAfterSeconds} s`,
      { retryAfterSeconds, failedAuthPerMinute: this.limit },
    );
  }

  /** Counts one failed authentication of `address`. */
  async record(address: string): Promise<void> {
    this.suspects.delete(address);
    this.suspects.set(address, Date.now() + 2 * WINDOW_MS);
    if (this.suspects.size > MAX_SUSPECTS) this.suspects.delete(this.suspects.keys().next().value as string);
    const key = this.key(address, Math.floor(Date.now() / WINDOW_MS));
    try {
      await this.redis
        .multi()
        .incr(key)
        .pexpire(key, WINDOW_MS * 2)
        .exec();
    } catch (error) {
      this.logger.warn({ err: error }, 'failed authentication not counted: Redis failed');
    }
  }

  private key(address: string, window: number): string {
    return RedisKeys.rateLimit(`authfail:${address}`, window);
  }
}
