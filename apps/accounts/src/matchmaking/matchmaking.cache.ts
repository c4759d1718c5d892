import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS, RedisKeys, TTL } from '@trustno1/redis';

export interface Ticket {
  ticketId: string;
  characterId: string;
  accountId: string;
  region: string;
  status: 'queued' | 'assigned';
  serverId?: string;
  createdAt: number;
}

/** A live server's heartbeat, as far as matchmaking reads it. */
export interface Heartbeat {
  players: number;
  maxPlayers: number;
}

/** How long a promised seat counts against a server while the player has not joined. */
export const ASSIGNMENT_HOLD_MS = 60_000;
const LEASE_MS = 10_000;

/**
 * queued → assigned, once: the check and the write happen in one script on the ticket's key, so
 * two assigners (or a retried one) can never assign one ticket twice. Returns the character id,
 * or nil when the ticket expired or was already assigned.
 */
const ASSIGN_SCRIPT = `
if redis.call('HGET', KEYS[1], 'status') ~= 'queued' then return false end
redis.call('HSET', KEYS[1], 'status', 'assigned', 'serverId', ARGV[1], 'assignedAt', ARGV[2])
return redis.call('HGET', KEYS[1], 'characterId')`;

/** Deletes the lease only if it is still ours (it may have expired and been taken). */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Tickets, region queues, promised seats and the assigner's lease, all in Redis. */
@Injectable()
export class MatchmakingCache {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async createTicket(ticket: Ticket): Promise<void> {
    const key = RedisKeys.matchmakingTicket(ticket.ticketId);
    // MULTI: the ticket and its place in the queue exist together or not at all.
    const results = await this.redis
      .multi()
      .hset(key, {
        characterId: ticket.characterId,
        accountId: ticket.accountId,
        region: ticket.region,
        status: ticket.status,
        createdAt: String(ticket.createdAt),
      })
      .expire(key, TTL.matchmakingTicket)
      .rpush(RedisKeys.matchmakingQueue(ticket.region), ticket.ticketId)
      .exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error('ticket transaction aborted');
  }

  async readTicket(ticketId: string): Promise<Ticket | null> {
    const f = await this.redis.hgetall(RedisKeys.matchmakingTicket(ticketId));
    if (!f.characterId || !f.accountId || !f.region) return null;
    const ticket: Ticket = {
      ticketId,
      characterId: f.characterId,
      accountId: f.accountId,
      region: f.region,
      status: f.status === 'assigned' ? 'assigned' : 'queued',
      createdAt: Number(f.createdAt),
    };
    if (f.serverId) ticket.serverId = f.serverId;
    return ticket;
  }

  /** The heartbeat of each server; null for a server whose status key expired (dead). */
  async heartbeats(serverIds: string[]): Promise<(Heartbeat | null)[]> {
    if (serverIds.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of serverIds) pipeline.hmget(RedisKeys.serverStatus(id), 'players', 'maxPlayers');
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, value]) => {
      if (error) throw error;
      const [players, maxPlayers] = value as (string | null)[];
      if (players === null && maxPlayers === null) return null;
      return { players: Number(players ?? 0) || 0, maxPlayers: Number(maxPlayers ?? 0) || 0 };
    });
  }

  /** Seats promised to each server in the last ASSIGNMENT_HOLD_MS; older promises are dropped. */
  async pendingAssignments(serverIds: string[], nowMs: number): Promise<number[]> {
    if (serverIds.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of serverIds) {
      const key = RedisKeys.matchmakingAssigned(id);
      pipeline.zremrangebyscore(key, '-inf', nowMs - ASSIGNMENT_HOLD_MS).zcard(key);
    }
    const results = (await pipeline.exec()) ?? [];
    return serverIds.map((_, i) => Number(results[i * 2 + 1]?.[1] ?? 0));
  }

  async takeQueued(region: string, count: number): Promise<string[]> {
    return (await this.redis.lpop(RedisKeys.matchmakingQueue(region), count)) ?? [];
  }

  /** Puts unprocessed tickets back at the head of the queue, in their order. */
  async returnQueued(region: string, ticketIds: string[]): Promise<void> {
    if (ticketIds.length > 0)
      await this.redis.lpush(RedisKeys.matchmakingQueue(region), ...[...ticketIds].reverse());
  }

  /** Flips one ticket to assigned and records the promised seat; false if it was not queued. */
  async assign(ticketId: string, serverId: string, nowMs: number): Promise<boolean> {
    const characterId = (await this.redis.eval(
      ASSIGN_SCRIPT,
      1,
      RedisKeys.matchmakingTicket(ticketId),
      serverId,
      String(nowMs),
    )) as string | null;
    if (!characterId) return false;
    const key = RedisKeys.matchmakingAssigned(serverId);
    await this.redis
      .pipeline()
      .zadd(key, nowMs, characterId)
      .pexpire(key, ASSIGNMENT_HOLD_MS * 2)
      .exec();
    return true;
  }

  /** SET NX PX: one replica assigns at a time. Returns the lease token, or null if it is held. */
  async acquireLease(): Promise<string | null> {
    const token = randomUUID();
    const ok = await this.redis.set(RedisKeys.lease('matchmaking'), token, 'PX', LEASE_MS, 'NX');
    return ok === 'OK' ? token : null;
  }

  async releaseLease(token: string): Promise<void> {
    await this.redis.eval(RELEASE_SCRIPT, 1, RedisKeys.lease('matchmaking'), token);
  }
}
