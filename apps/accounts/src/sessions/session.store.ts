import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppError, ErrorCode, type ResolvedSession } from '@trustno1/contracts';
import { REDIS, RedisKeys, TTL } from '@trustno1/redis';
import { CLOCK, type Clock } from '../clock/clock';

export interface NewSession {
  token: string;
  sessionId: string;
  expiresAt: Date;
}

/** SHA-256 of a token: the only form in which a session token is ever stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Login sessions in Redis (SPEC §8): 256 random bits shown once, stored only as a hash, 24 h.
 * Losing Redis logs everyone out (fails closed) and loses nothing else.
 */
@Injectable()
export class SessionStore {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(accountId: string): Promise<NewSession> {
    const token = randomBytes(32).toString('base64url');
    const sessionId = hashToken(token);
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + TTL.session * 1000);
    await this.redis
      .pipeline()
      .hset(RedisKeys.session(sessionId), {
        accountId,
        createdAt: now.toISOString(),
        expiresAt: expiresAt.toISOString(),
      })
      .expire(RedisKeys.session(sessionId), TTL.session)
      .sadd(RedisKeys.sessionsActive(), sessionId)
      .sadd(RedisKeys.accountSessions(accountId), sessionId)
      .expire(RedisKeys.accountSessions(accountId), TTL.session)
      .exec();
    return { token, sessionId, expiresAt };
  }

  /** The account behind a token, or null when the token is unknown, expired or revoked. */
  async resolve(token: string): Promise<ResolvedSession | null> {
    const sessionId = hashToken(token);
    const accountId = await this.redis.hget(RedisKeys.session(sessionId), 'accountId');
    return accountId ? { accountId, sessionId } : null;
  }

  /** The session of a bearer token; UNAUTHENTICATED when it is unknown, expired or revoked. */
  async authenticate(token: string): Promise<ResolvedSession> {
    const session = await this.resolve(token);
    if (!session) throw new AppError(ErrorCode.UNAUTHENTICATED, 'Session is invalid or expired');
    return session;
  }

  async revoke(sessionId: string, accountId: string): Promise<void> {
    await this.redis
      .pipeline()
      .del(RedisKeys.session(sessionId))
      .srem(RedisKeys.sessionsActive(), sessionId)
      .srem(RedisKeys.accountSessions(accountId), sessionId)
      .exec();
  }

  /** Ends every session of an account at once (ban, password change). Returns how many. */
  async revokeAll(accountId: string): Promise<number> {
    const ids = await this.redis.smembers(RedisKeys.accountSessions(accountId));
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.del(RedisKeys.session(id)).srem(RedisKeys.sessionsActive(), id);
    pipeline.del(RedisKeys.accountSessions(accountId));
    await pipeline.exec();
    return ids.length;
  }
}
