import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { LiveServerView, ServerStatusBody } from '@trustno1/contracts';
import { REDIS, RedisKeys, TTL } from '@trustno1/redis';
import type { ServerRegistration } from './servers.repository';

/** The status a heartbeat left in `server:status:{id}`: the listing's fields, without load. */
export type StoredStatus = Omit<LiveServerView, 'load'> & { updatedAt: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Heartbeats in Redis: each one rewrites the status hash and renews its 30 s TTL, so a server that
 * stops sending them disappears by itself. The region set only indexes ids; dead ones are pruned
 * when read. Everything here is idempotent: a retried heartbeat writes the same hash again.
 */
@Injectable()
export class ServerStatusStore {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async write(server: ServerRegistration, status: ServerStatusBody, now: Date): Promise<void> {
    const key = RedisKeys.serverStatus(server.id);
    await this.redis
      .pipeline()
      .hset(key, {
        players: status.players,
        maxPlayers: status.maxPlayers,
        tickRate: status.tickRate,
        version: status.version,
        name: server.name,
        region: server.region,
        updatedAt: now.toISOString(),
      })
      .expire(key, TTL.serverStatus)
      .sadd(RedisKeys.regionServers(server.region), server.id)
      .exec()
      .then(throwFirstError);
  }

  async remove(serverId: string, region: string): Promise<void> {
    await this.redis
      .pipeline()
      .del(RedisKeys.serverStatus(serverId))
      .srem(RedisKeys.regionServers(region), serverId)
      .exec()
      .then(throwFirstError);
  }

  /**
   * Statuses of the region's servers that still have one; ids whose status expired are pruned
   * from the region set. A heartbeat racing the prune re-adds its id on its next beat (~10 s).
   */
  async listRegion(region: string): Promise<StoredStatus[]> {
    const ids = (await this.redis.smembers(RedisKeys.regionServers(region))).filter((id) => UUID.test(id));
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(RedisKeys.serverStatus(id));
    const replies = (await pipeline.exec().then(throwFirstError)) ?? [];
    const live: StoredStatus[] = [];
    const dead: string[] = [];
    ids.forEach((id, i) => {
      const status = parseStatus(id, replies[i]?.[1] as Record<string, string> | undefined);
      if (status && status.region === region) live.push(status);
      else dead.push(id);
    });
    if (dead.length > 0) await this.redis.srem(RedisKeys.regionServers(region), ...dead);
    return live;
  }
}

type PipelineResult = [Error | null, unknown][] | null;

function throwFirstError(results: PipelineResult): PipelineResult {
  const failed = results?.find(([error]) => error);
  if (failed?.[0]) throw failed[0];
  return results;
}

function parseStatus(id: string, hash: Record<string, string> | undefined): StoredStatus | null {
  if (!hash || !hash.region) return null;
  const players = Number(hash.players);
  const maxPlayers = Number(hash.maxPlayers);
  const tickRate = Number(hash.tickRate);
  if (
    !Number.isFinite(players) ||
    !Number.isFinite(maxPlayers) ||
    maxPlayers <= 0 ||
    !Number.isFinite(tickRate)
  ) {
    return null;
  }
  return {
    id,
    name: hash.name ?? '',
    region: hash.region,
    players,
    maxPlayers,
    tickRate,
    version: hash.version ?? '',
    updatedAt: hash.updatedAt ?? '',
  };
}
