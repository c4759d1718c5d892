import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppError, ErrorCode, type AuthenticatedServer } from '@trustno1/contracts';
import { REDIS, RedisKeys, TTL } from '@trustno1/redis';

const REVOKED = 'revoked';

/**
 * Game server keys checked on every server request, remembered in Redis for TTL.serverKey so that
 * PostgreSQL sees one lookup per key and minute instead of one per request. A revocation
 * overwrites the entry with a `revoked` tombstone, and authentications only ever add an entry that
 * is absent (SET NX), so one that read PostgreSQL before the revocation cannot bring the key back.
 * A Redis failure while reading falls back to PostgreSQL.
 */
@Injectable()
export class ServerKeyCache {
  private readonly logger = new Logger('ServerKeyCache');

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** The cached server, `revoked`, or null when unknown here (or Redis is unreachable). */
  async get(keyHash: string): Promise<AuthenticatedServer | typeof REVOKED | null> {
    try {
      const value = await this.redis.get(RedisKeys.serverKey(keyHash));
      if (value === null) return null;
      return value === REVOKED ? REVOKED : (JSON.parse(value) as AuthenticatedServer);
    } catch (error) {
      this.logger.warn(`server key cache unreadable, asking PostgreSQL: ${String(error)}`);
      return null;
    }
  }

  /** Remembers a key PostgreSQL just accepted, unless a revocation got there first. */
  async remember(keyHash: string, server: AuthenticatedServer): Promise<void> {
    try {
      await this.redis.set(RedisKeys.serverKey(keyHash), JSON.stringify(server), 'EX', TTL.serverKey, 'NX');
    } catch (error) {
      this.logger.warn(`server key not cached: ${String(error)}`);
    }
  }

  /**
   * Writes the tombstone after the revocation committed. If Redis refuses, the caller answers 503
   * and the operator repeats the (idempotent) revocation: a cached entry would otherwise keep the
   * key working for up to TTL.serverKey.
   */
  async revoke(keyHash: string): Promise<void> {
    try {
      await this.redis.set(RedisKeys.serverKey(keyHash), REVOKED, 'EX', TTL.serverKey);
    } catch (error) {
      throw new AppError(
        ErrorCode.UNAVAILABLE,
        'The server is revoked, but its key may stay cached: revoke it again',
        { reason: String(error) },
      );
    }
  }
}

export const isRevoked = (value: unknown): value is typeof REVOKED => value === REVOKED;
