import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { COMBAT_LINGER_SECONDS, REDIS, RedisKeys, TTL } from '@trustno1/redis';

/** Two players who fought, at a time (ms since epoch). */
export interface CombatPair {
  attackerId: string;
  victimId: string;
  at: number;
}

/** An opponent of a player and the time of their last exchange (ms). */
export interface RecentOpponent {
  opponentId: string;
  at: number;
}

/**
 * `combat:recent:{id}` (ZSET, member = the opponent, score = ms of the last hit between them,
 * TTL 1 h): what presence's leave/linger rule reads (the newest score) to keep a player who
 * leaves in combat in the world. Written after the hits committed, never under a row lock.
 */
@Injectable()
export class CombatRecentCache {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async record(pairs: readonly CombatPair[]): Promise<void> {
    if (pairs.length === 0) return;
    const newest = new Map<string, Map<string, number>>();
    const note = (player: string, opponent: string, at: number) => {
      const opponents = newest.get(player) ?? new Map<string, number>();
      opponents.set(opponent, Math.max(at, opponents.get(opponent) ?? 0));
      newest.set(player, opponents);
    };
    for (const pair of pairs) {
      note(pair.victimId, pair.attackerId, pair.at);
      note(pair.attackerId, pair.victimId, pair.at);
    }
    const pipeline = this.redis.pipeline();
    const oldest = Date.now() - TTL.combatRecent * 1000;
    for (const [player, opponents] of newest) {
      const key = RedisKeys.combatRecent(player);
      // GT: adds a new opponent, and a late write never moves an exchange back in time.
      pipeline.zadd(key, 'GT', ...[...opponents].flatMap(([opponent, at]) => [at, opponent]));
      pipeline.zremrangebyscore(key, '-inf', `(${oldest}`);
      pipeline.expire(key, TTL.combatRecent);
    }
    const results = (await pipeline.exec()) ?? [];
    for (const [error] of results) if (error) throw error;
  }

  /** The player's opponents of the last hour, newest first. */
  async recent(playerId: string): Promise<RecentOpponent[]> {
    const oldest = Date.now() - TTL.combatRecent * 1000;
    const flat = await this.redis.zrevrangebyscore(
      RedisKeys.combatRecent(playerId),
      '+inf',
      oldest,
      'WITHSCORES',
    );
    const recent: RecentOpponent[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2)
      recent.push({ opponentId: flat[i], at: Number(flat[i + 1]) });
    return recent;
  }
}

/** In combat: the last exchange within the anti combat-log window. */
export function inCombat(lastCombatAt: number | null, now: number): boolean {
  return lastCombatAt !== null && now - lastCombatAt < COMBAT_LINGER_SECONDS * 1000;
}
