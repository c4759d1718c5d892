import { Inject, Injectable } from '@nestjs/common';
import type { ChainableCommander, Redis } from 'ioredis';
import { REDIS, RedisKeys, TTL } from '@trustno1/redis';
import { ASSIGNMENT_HOLD_MS } from '../matchmaking/matchmaking.cache';
import { decodeState, encodeState, type LiveState } from './presence.state';

/** What a state batch needs to know about each player before writing. */
export interface StateHead {
  serverId: string | null;
  chunkX: number | null;
  chunkZ: number | null;
  joinedAt: number | null;
}

/** One player's write in a state batch. */
export interface StateWrite {
  playerId: string;
  state: LiveState;
  /** The chunk the player was in before this batch, when known. */
  previousChunk: { x: number; z: number } | null;
  /** Joined but without a Redis state (Redis lost it): joinedAt is set only if still missing. */
  fresh: boolean;
}

/**
 * The Redis side of presence: `player:{id}:state` hashes, `chunk:{x}:{z}:players` sets and the
 * dirty set the position flush drains. Every multi-player operation is one pipeline.
 */
@Injectable()
export class PresenceCache {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async isLive(serverId: string): Promise<boolean> {
    return (await this.redis.exists(RedisKeys.serverStatus(serverId))) === 1;
  }

  /**
   * May this character be joined to this server (issue 11)? Yes when the matchmaker assigned it
   * there within ASSIGNMENT_HOLD_MS, or when its account has a live login session (the session
   * hash is still stored: expiry and revocation delete it). One pipeline, plus one for the
   * account's session hashes when there is no assignment.
   */
  async mayJoin(accountId: string, serverId: string, playerId: string, nowMs: number): Promise<boolean> {
    const [[assignedError, assignedAt], [sessionsError, sessions]] = ((await this.redis
      .pipeline()
      .zscore(RedisKeys.matchmakingAssigned(serverId), playerId)
      .smembers(RedisKeys.accountSessions(accountId))
      .exec()) ?? []) as [Error | null, unknown][];
    if (assignedError) throw assignedError;
    if (sessionsError) throw sessionsError;
    if (assignedAt !== null && Number(assignedAt) > nowMs - ASSIGNMENT_HOLD_MS) return true;
    const ids = sessions as string[];
    if (ids.length === 0) return false;
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.exists(RedisKeys.session(id));
    const results = (await pipeline.exec()) ?? [];
    return results.some(([error, exists]) => {
      if (error) throw error;
      return exists === 1;
    });
  }

  async readState(playerId: string): Promise<LiveState | null> {
    return decodeState(await this.redis.hgetall(RedisKeys.playerState(playerId)));
  }

  async readStates(playerIds: string[]): Promise<(LiveState | null)[]> {
    if (playerIds.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of playerIds) pipeline.hgetall(RedisKeys.playerState(id));
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, value]) => (error ? null : decodeState(value as Record<string, string>)));
  }

  /** Server, chunk and join time of each player, from one pipeline of HMGETs. */
  async readHeads(playerIds: string[]): Promise<StateHead[]> {
    const pipeline = this.redis.pipeline();
    for (const id of playerIds)
      pipeline.hmget(RedisKeys.playerState(id), 'serverId', 'chunkX', 'chunkZ', 'joinedAt');
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, value]) => {
      if (error) throw error;
      const [serverId, x, z, joinedAt] = value as (string | null)[];
      const num = (v: string | null) => (v === null ? null : Number(v));
      return { serverId, chunkX: num(x), chunkZ: num(z), joinedAt: num(joinedAt) };
    });
  }

  /** Newest combat time of a player (ms), from the `combat:recent` ZSET scores. */
  async lastCombat(playerId: string): Promise<number | null> {
    const [, score] = await this.redis.zrevrange(RedisKeys.combatRecent(playerId), 0, 0, 'WITHSCORES');
    return score === undefined ? null : Number(score);
  }

  /** Replaces whatever state the player had (a dead server's, say) with the one of this join. */
  async writeJoin(playerId: string, state: LiveState, previous: LiveState | null): Promise<void> {
    const pipeline = this.redis.pipeline();
    if (previous && (previous.chunkX !== state.chunkX || previous.chunkZ !== state.chunkZ)) {
      pipeline.srem(RedisKeys.chunkPlayers(previous.chunkX, previous.chunkZ), playerId);
    }
    pipeline.del(RedisKeys.playerState(playerId));
    this.putState(pipeline, playerId, state);
    this.enterChunk(pipeline, playerId, state.chunkX, state.chunkZ);
    // The matchmaker's promised seat is taken now.
    pipeline.zrem(RedisKeys.matchmakingAssigned(state.serverId), playerId);
    await exec(pipeline);
  }

  /** One pipeline for a whole batch: states, chunk moves and the dirty set. */
  async writeBatch(writes: StateWrite[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    const chunks = new Map<string, { x: number; z: number }>();
    for (const { playerId, state, previousChunk, fresh } of writes) {
      const key = RedisKeys.playerState(playerId);
      // joinedAt belongs to the join; a batch only sets it where Redis lost the state.
      const { joinedAt, ...fields } = encodeState(state);
      if (fresh) pipeline.hsetnx(key, 'joinedAt', joinedAt);
      pipeline.hset(key, fields).expire(key, TTL.playerState);
      if (previousChunk && (previousChunk.x !== state.chunkX || previousChunk.z !== state.chunkZ)) {
        pipeline.srem(RedisKeys.chunkPlayers(previousChunk.x, previousChunk.z), playerId);
      }
      // SADD every time, not only on a border crossing: it repairs a set that lost a member.
      pipeline.sadd(RedisKeys.chunkPlayers(state.chunkX, state.chunkZ), playerId);
      chunks.set(`${state.chunkX}:${state.chunkZ}`, { x: state.chunkX, z: state.chunkZ });
    }
    for (const { x, z } of chunks.values()) pipeline.expire(RedisKeys.chunkPlayers(x, z), TTL.chunkInactive);
    pipeline.sadd(RedisKeys.positionsDirty(), ...writes.map((w) => w.playerId));
    await exec(pipeline);
  }

  /** A lingering player stays in its chunk; its stay restarts now (playtime was credited). */
  async restartStay(playerId: string, nowMs: number): Promise<void> {
    const key = RedisKeys.playerState(playerId);
    await exec(
      this.redis
        .pipeline()
        .hset(key, { joinedAt: String(nowMs), updatedAt: String(nowMs) })
        .expire(key, TTL.playerState),
    );
  }

  /** Takes players out of the world: state gone, out of their chunk, nothing left to flush. */
  async clear(players: { playerId: string; chunk: { x: number; z: number } | null }[]): Promise<void> {
    if (players.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const { playerId, chunk } of players) {
      pipeline.del(RedisKeys.playerState(playerId));
      if (chunk) pipeline.srem(RedisKeys.chunkPlayers(chunk.x, chunk.z), playerId);
    }
    pipeline.srem(RedisKeys.positionsDirty(), ...players.map((p) => p.playerId));
    await exec(pipeline);
  }

  async chunkMembers(x: number, z: number): Promise<string[]> {
    return this.redis.smembers(RedisKeys.chunkPlayers(x, z));
  }

  /** Drops members whose state no longer places them in this chunk (expired or moved). */
  async pruneChunk(x: number, z: number, stale: string[]): Promise<void> {
    if (stale.length > 0) await this.redis.srem(RedisKeys.chunkPlayers(x, z), ...stale);
  }

  /** Takes up to `count` players off the dirty set; the caller puts them back if its write fails. */
  async popDirty(count: number): Promise<string[]> {
    return (await this.redis.spop(RedisKeys.positionsDirty(), count)) ?? [];
  }

  async restoreDirty(playerIds: string[]): Promise<void> {
    if (playerIds.length > 0) await this.redis.sadd(RedisKeys.positionsDirty(), ...playerIds);
  }

  private putState(pipeline: ChainableCommander, playerId: string, state: LiveState): void {
    const key = RedisKeys.playerState(playerId);
    pipeline.hset(key, encodeState(state)).expire(key, TTL.playerState);
  }

  private enterChunk(pipeline: ChainableCommander, playerId: string, x: number, z: number): void {
    const key = RedisKeys.chunkPlayers(x, z);
    pipeline.sadd(key, playerId).expire(key, TTL.chunkInactive);
  }
}

/** Runs a pipeline and throws the first command error (ioredis reports them per command). */
async function exec(pipeline: ChainableCommander): Promise<void> {
  const results = (await pipeline.exec()) ?? [];
  const failed = results.find(([error]) => error)?.[0];
  if (failed) throw failed;
}
