import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppError, ErrorCode, type AuthenticatedServer } from '@trustno1/contracts';
import { REDIS, RedisKeys, TTL } from '@trustno1/redis';

const REVOKED = 'revoked';
const UNKNOWN = 'unknown';
/** How long a key PostgreSQL did not know is answered from Redis (a flood of bad keys). */
export const UNKNOWN_KEY_TTL_SECONDS = 10;

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

  /**
   * The cached server, `revoked`, `unknown` (PostgreSQL had no such key moments ago), or null when
   * nothing is cached here (or Redis is unreachable).
   */
  async get(keyHash: string): Promise<AuthenticatedServer | typeof REVOKED | typeof UNKNOWN | null> {
    try {
      const value = await this.redis.get(RedisKeys.serverKey(keyHash));
      if (value === null) return null;
      if (value === REVOKED || value === UNKNOWN) return value;
      return JSON.parse(value) as AuthenticatedServer;
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
   * Remembers, briefly, that PostgreSQL knows no such key, so a flood of bad keys costs one lookup
   * per key and UNKNOWN_KEY_TTL_SECONDS. Keys are 256 random bits: none is registered later under
   * a hash someone already tried, so a stale `unknown` never shadows a real key.
   */
  async rememberUnknown(keyHash: string): Promise<void> {
    try {
      await this.redis.set(RedisKeys.serverKey(keyHash), UNKNOWN, 'EX', UNKNOWN_KEY_TTL_SECONDS, 'NX');
    } catch (error) {
      this.logger.warn(`unknown server key not cached: ${String(error)}`);
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
export const isUnknown = (value: unknown): value is typeof UNKNOWN => value === UNKNOWN;
