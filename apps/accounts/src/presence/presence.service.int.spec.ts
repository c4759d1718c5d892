import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { type Pool } from 'pg';
import type { Redis } from 'ioredis';
import { createPool, createPrismaClient, type PrismaClient } from '@trustno1/db';
import { RedisKeys } from '@trustno1/redis';
import {
  factories,
  FakeClock,
  liveSession,
  openTestStores,
  type TestStores,
  type Factories,
} from '@trustno1/testing';
import { PresenceFlushService } from './presence-flush.service';
import { PresenceCache } from './presence.cache';
import { PresenceRepository } from './presence.repository';
import { PresenceService } from './presence.service';

const ROTATION = { x: 0, y: 0, z: 0, w: 1 };

describe('presence service with a fake clock (real PostgreSQL and Redis)', () => {
  let stores: TestStores;
  let pool: Pool;
  let appPool: Pool;
  let prisma: PrismaClient;
  let redis: Redis;
  let f: Factories;
  let clock: FakeClock;
  let presence: PresenceService;
  let flush: PresenceFlushService;

  const row = async (id: string) =>
    (
      await pool.query<{
        server_id: string | null;
        is_online: boolean;
        linger_until: Date | null;
        playtime_seconds: string;
        last_seen: Date;
      }>(
        `SELECT server_id, is_online, linger_until, playtime_seconds, last_seen FROM players WHERE id = $1`,
        [id],
      )
    ).rows[0];
  const live = (serverId: string) => redis.set(RedisKeys.serverStatus(serverId), '1', 'EX', 30);
  /** A character whose player is logged in: what a join asks for. */
  const playing = async () => {
    const c = await f.character();
    await liveSession(redis, c.accountId);
    return c;
  };

  beforeAll(async () => {
    stores = await openTestStores(4);
    ({ pool, redis } = stores);
    f = factories(pool);
    // The repositories' own client, as DbModule builds it; the tests check rows through `pool`.
    appPool = createPool({ url: stores.db.url, max: 4 });
    prisma = createPrismaClient(appPool);
    // Real time as the base: PostgreSQL defaults (last_seen) and Redis TTLs stay plausible.
    clock = new FakeClock(Date.now());
    const repository = new PresenceRepository(prisma);
    const cache = new PresenceCache(redis);
    presence = new PresenceService(repository, cache, clock);
    flush = new PresenceFlushService(repository, cache, clock);
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await appPool?.end();
    await stores?.close();
  });

  it('lingers until last combat + 30 s, credits playtime for the stay and the linger, then finalizes', async () => {
    const server = await f.gameServer();
    const c = await playing();
    const joinedAt = clock.now().getTime();
    await presence.join(server.id, c.id, undefined);
    clock.advance(10);
    await redis.zadd(RedisKeys.combatRecent(c.id), clock.now().getTime(), 'hit');
    clock.advance(10);

    const left = await presence.leave(server.id, c.id, undefined);
    assert.equal(left.lingerUntil, new Date(joinedAt + 40_000).toISOString());
    let r = await row(c.id);
    assert.equal(r.is_online, true);
    assert.equal(r.server_id, server.id);
    assert.equal(Number(r.playtime_seconds), 20);

    clock.advance(19); // 1 s before the end of the window
    assert.deepEqual(await flush.run(), { flushed: 0, finalized: 0 });
    assert.equal((await row(c.id)).is_online, true);

    clock.advance(2);
    assert.deepEqual(await flush.run(), { flushed: 0, finalized: 1 });
    r = await row(c.id);
    assert.equal(r.is_online, false);
    assert.equal(r.server_id, null);
    assert.equal(r.linger_until, null);
    assert.equal(r.last_seen.getTime(), joinedAt + 40_000);
    assert.equal(Number(r.playtime_seconds), 40, '20 s in play + 20 s lingering');
    assert.equal(await redis.exists(RedisKeys.playerState(c.id)), 0);
    assert.equal(await redis.sismember(RedisKeys.chunkPlayers(0, 0), c.id), 0);
  });

  it('leaves at once when the last combat is older than 30 s', async () => {
    const server = await f.gameServer();
    const c = await playing();
    await presence.join(server.id, c.id, undefined);
    await redis.zadd(RedisKeys.combatRecent(c.id), clock.now().getTime(), 'hit');
    clock.advance(30);
    assert.deepEqual(await presence.leave(server.id, c.id, undefined), {});
    assert.equal((await row(c.id)).is_online, false);
  });

  it('a rejoin on the same server during the linger keeps the player and cancels the finalization', async () => {
    const server = await f.gameServer();
    const c = await playing();
    await presence.join(server.id, c.id, undefined);
    await redis.zadd(RedisKeys.combatRecent(c.id), clock.now().getTime(), 'hit');
    assert.ok((await presence.leave(server.id, c.id, undefined)).lingerUntil);
    clock.advance(5);
    await presence.join(server.id, c.id, undefined);
    clock.advance(60);
    assert.equal((await flush.run()).finalized, 0);
    const r = await row(c.id);
    assert.equal(r.is_online, true);
    assert.equal(r.linger_until, null);
  });

  it('takes over from a dead server, crediting the dead stay up to its last update', async () => {
    const [dead, next] = [await f.gameServer(), await f.gameServer()];
    const c = await playing();
    await live(dead.id);
    await presence.join(dead.id, c.id, undefined);
    clock.advance(50);
    await presence.updateStates(dead.id, [
      { playerId: c.id, position: { x: 10, y: 0, z: 300 }, rotation: ROTATION },
    ]);
    clock.advance(100);
    await assert.rejects(presence.join(next.id, c.id, undefined), { code: 'ALREADY_ONLINE' });
    await redis.del(RedisKeys.serverStatus(dead.id));
    const view = await presence.join(next.id, c.id, undefined);
    assert.equal(view.serverId, next.id);
    assert.deepEqual([view.chunkX, view.chunkZ], [0, 2]);
    assert.equal(Number((await row(c.id)).playtime_seconds), 50);
    assert.equal(await redis.sismember(RedisKeys.chunkPlayers(0, 2), c.id), 1);
  });

  it('rebuilds a state Redis lost from PostgreSQL on the next batch, without giving the player away', async () => {
    const server = await f.gameServer();
    const c = await playing();
    await presence.join(server.id, c.id, undefined);
    await redis.del(RedisKeys.playerState(c.id));
    await presence.updateStates(server.id, [
      { playerId: c.id, position: { x: 129, y: 0, z: 0 }, rotation: ROTATION },
    ]);
    const hash = await redis.hgetall(RedisKeys.playerState(c.id));
    assert.equal(hash.serverId, server.id);
    assert.equal(hash.chunkX, '1');
    assert.ok(hash.joinedAt);
    const other = await f.gameServer();
    await redis.del(RedisKeys.playerState(c.id));
    await assert.rejects(
      presence.updateStates(other.id, [
        { playerId: c.id, position: { x: 1, y: 0, z: 0 }, rotation: ROTATION },
      ]),
      { code: 'FORBIDDEN' },
    );
  });
});
