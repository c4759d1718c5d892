import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import {
  AppError,
  ErrorCode,
  PROJECTILE_DEFAULT_FLIGHT_MS,
  PROJECTILES_PER_SERVER,
  type LaunchProjectileRequest,
  type Principal,
  type ProjectilesView,
  type ProjectileView,
} from '@trustno1/contracts';
import { PrismaClient } from '@trustno1/db';
import { REDIS, RedisKeys } from '@trustno1/redis';

/** What `projectiles:active` holds per projectile: the view and its expiry in ms, for the scripts. */
interface Stored extends ProjectileView {
  expiresAtMs: number;
}

/**
 * Launch, atomically: the same id of the same server still in flight answers the stored entry; of
 * another server, `conflict`; expired entries are swept on the way and the server's count is checked.
 */
const LAUNCH = `
local now = tonumber(ARGV[4])
local existing = redis.call('HGET', KEYS[1], ARGV[1])
if existing then
  local e = cjson.decode(existing)
  if e.expiresAtMs > now then
    if e.serverId == ARGV[3] then return {'existing', existing} end
    return {'conflict', ''}
  end
end
local all = redis.call('HGETALL', KEYS[1])
local mine = 0
for i = 1, #all, 2 do
  local e = cjson.decode(all[i + 1])
  if e.expiresAtMs <= now then redis.call('HDEL', KEYS[1], all[i])
  elseif e.serverId == ARGV[3] then mine = mine + 1 end
end
if mine >= tonumber(ARGV[5]) then return {'full', ''} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return {'created', ARGV[2]}
`;

/** Remove, atomically: `missing` (or expired), `other` (another server's), or `removed`. */
const REMOVE = `
local existing = redis.call('HGET', KEYS[1], ARGV[1])
if not existing then return 'missing' end
local e = cjson.decode(existing)
if e.expiresAtMs <= tonumber(ARGV[3]) then
  redis.call('HDEL', KEYS[1], ARGV[1])
  return 'missing'
end
if e.serverId ~= ARGV[2] then return 'other' end
redis.call('HDEL', KEYS[1], ARGV[1])
return 'removed'
`;

/**
 * Projectiles in flight (the seed's `projectiles:active` HASH: field = projectile id, value = its
 * JSON with the server and the expiry). A hash field cannot expire on its own in Redis 7.0, so
 * every launch and every listing sweeps the expired entries: the hash holds only what is in the air.
 */
@Injectable()
export class ProjectilesService {
  constructor(
    private readonly prisma: PrismaClient,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async launch(
    principal: Principal,
    req: LaunchProjectileRequest,
    now = Date.now(),
  ): Promise<ProjectileView> {
    const serverId = serverOf(principal);
    const owner = await this.prisma.player.findUnique({
      where: { id: req.ownerId },
      select: { serverId: true },
    });
    if (!owner) throw new AppError(ErrorCode.NOT_FOUND, 'owner not found', { ownerId: req.ownerId });
    if (owner.serverId !== serverId) {
      throw new AppError(ErrorCode.FORBIDDEN, 'FORBIDDEN: NOT_JOINED_TO_THIS_SERVER', {
        ownerId: req.ownerId,
        reason: 'NOT_JOINED_TO_THIS_SERVER',
      });
    }
    const expiresAtMs = now + (req.fuseMs ?? PROJECTILE_DEFAULT_FLIGHT_MS);
    const stored: Stored = {
      id: req.id.toLowerCase(),
      ownerId: req.ownerId.toLowerCase(),
      serverId,
      kind: req.kind,
      position: req.position,
      velocity: req.velocity,
      fuseMs: req.fuseMs ?? null,
      launchedAt: new Date(now).toISOString(),
      expiresAt: new Date(expiresAtMs).toISOString(),
      expiresAtMs,
    };
    const [outcome, json] = (await this.redis.eval(
      LAUNCH,
      1,
      RedisKeys.projectilesActive(),
      stored.id,
      JSON.stringify(stored),
      serverId,
      String(now),
      String(PROJECTILES_PER_SERVER),
    )) as [string, string];
    if (outcome === 'conflict') {
      throw new AppError(ErrorCode.CONFLICT, 'CONFLICT: ID_IN_USE', { id: stored.id, reason: 'ID_IN_USE' });
    }
    if (outcome === 'full') {
      throw new AppError(
        ErrorCode.LIMIT_REACHED,
        `A server may have ${PROJECTILES_PER_SERVER} projectiles in flight`,
        {
          limit: PROJECTILES_PER_SERVER,
        },
      );
    }
    return viewOf(JSON.parse(json) as Stored);
  }

  async remove(principal: Principal, projectileId: string, now = Date.now()): Promise<null> {
    const outcome = await this.redis.eval(
      REMOVE,
      1,
      RedisKeys.projectilesActive(),
      projectileId.toLowerCase(),
      serverOf(principal),
      String(now),
    );
    if (outcome === 'missing')
      throw new AppError(ErrorCode.NOT_FOUND, 'projectile not in flight', { projectileId });
    if (outcome === 'other') {
      throw new AppError(ErrorCode.FORBIDDEN, "FORBIDDEN: another server's projectile", {
        projectileId,
        reason: 'NOT_YOURS',
      });
    }
    return null;
  }

  async list(principal: Principal, now = Date.now()): Promise<ProjectilesView> {
    const serverId = serverOf(principal);
    const all = await this.redis.hgetall(RedisKeys.projectilesActive());
    const expired: string[] = [];
    const mine: Stored[] = [];
    for (const [id, json] of Object.entries(all)) {
      const entry = JSON.parse(json) as Stored;
      if (entry.expiresAtMs <= now) expired.push(id);
      else if (entry.serverId === serverId) mine.push(entry);
    }
    if (expired.length > 0) await this.redis.hdel(RedisKeys.projectilesActive(), ...expired);
    mine.sort((a, b) => a.launchedAt.localeCompare(b.launchedAt) || a.id.localeCompare(b.id));
    return { projectiles: mine.map(viewOf) };
  }
}

function serverOf(principal: Principal): string {
  if (principal.kind !== 'server') throw new AppError(ErrorCode.FORBIDDEN, 'FORBIDDEN: game servers only');
  return principal.serverId;
}

function viewOf({ expiresAtMs: _expiry, ...view }: Stored): ProjectileView {
  return view;
}
