import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppError, ErrorCode } from '@trustno1/contracts';
import { REDIS, RedisKeys, TTL } from '@trustno1/redis';
import { CLOCK, type Clock } from '../clock/clock';

/** SPEC §7: 5 failures in 10 minutes lock the account's logins for 10 minutes. */
export const LOCKOUT_FAILURES = 5;
export const LOCKOUT_WINDOW_MS = 10 * 60_000;
export const LOCKOUT_MS = 10 * 60_000;

/** One password check in progress, counted as a failure until it is settled otherwise. */
export interface LoginAttempt {
  subject: string;
  member: string;
}

// Atomic check-and-count: without it, 50 parallel guesses would all pass the check before any of
// them is counted. The attempt is counted before the password is verified and forgiven or cleared
// afterwards, so the sixth of six parallel attempts is refused too.
// Returns -1 when the attempt is counted, else the milliseconds left of the lock.
const BEGIN_SCRIPT = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local lock = tonumber(ARGV[3])
local limit = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window - lock)
local latest = redis.call('ZREVRANGE', key, 0, limit - 1, 'WITHSCORES')
if #latest >= limit * 2 then
  local newest = tonumber(latest[2])
  local oldest = tonumber(latest[limit * 2])
  if newest - oldest <= window and now < newest + lock then return newest + lock - now end
end
redis.call('ZADD', key, now, ARGV[5])
redis.call('EXPIRE', key, tonumber(ARGV[6]))
return -1
`;

/**
 * Failed logins per account in Redis (a ZSET of failure times). Unknown logins are counted under
 * a hash of the login, so the lockout does not reveal whether an account exists. Losing Redis
 * forgets the failures: the lock is a brake on guessing, not a record.
 */
@Injectable()
export class LoginLockout {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The lockout subject of a login that matches no account. */
  static unknownLoginSubject(login: string): string {
    return `login-${createHash('sha256').update(login.toLowerCase()).digest('hex')}`;
  }

  /** Counts an attempt, or throws 429 RATE_LIMITED with retryAfterSeconds while locked. */
  async begin(subject: string): Promise<LoginAttempt> {
    const member = `${this.clock.now().getTime()}:${randomUUID()}`;
    const left = Number(
      await this.redis.eval(
        BEGIN_SCRIPT,
        1,
        RedisKeys.loginFailures(subject),
        this.clock.now().getTime(),
        LOCKOUT_WINDOW_MS,
        LOCKOUT_MS,
        LOCKOUT_FAILURES,
        member,
        TTL.loginFailures,
      ),
    );
    if (left >= 0) {
      const retryAfterSeconds = Math.max(1, Math.ceil(left / 1000));
      throw new AppError(ErrorCode.RATE_LIMITED, `Too many failed logins; retry in ${retryAfterSeconds} s`, {
        retryAfterSeconds,
      });
    }
    return { subject, member };
  }

  /** The attempt did not fail (e.g. the password was right but a TOTP code is still needed). */
  async forgive(attempt: LoginAttempt): Promise<void> {
    await this.redis.zrem(RedisKeys.loginFailures(attempt.subject), attempt.member);
  }

  /** A fully successful login forgets every failure of the subject. */
  async clear(subject: string): Promise<void> {
    await this.redis.del(RedisKeys.loginFailures(subject));
  }
}
