import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { type Pool } from 'pg';
import type { Redis } from 'ioredis';
import { createPool, createPrismaClient, type PrismaClient } from '@trustno1/db';
import { RedisKeys } from '@trustno1/redis';
import { factories, FakeClock, openTestStores, type TestStores, type Factories } from '@trustno1/testing';
import { MatchmakingAssigner } from './matchmaking-assigner.service';
import { ASSIGNMENT_HOLD_MS, MatchmakingCache } from './matchmaking.cache';
import { MatchmakingRepository } from './matchmaking.repository';
import { MatchmakingService } from './matchmaking.service';

describe('matchmaking assigner (real PostgreSQL and Redis, fake clock)', () => {
  let stores: TestStores;
  let pool: Pool;
  let appPool: Pool;
  let prisma: PrismaClient;
  let redis: Redis;
  let f: Factories;
  let clock: FakeClock;
  let cache: MatchmakingCache;
  let repository: MatchmakingRepository;
  let service: MatchmakingService;

  const live = (serverId: string, players: number, maxPlayers: number) =>
    redis
      .hset(RedisKeys.serverStatus(serverId), { players, maxPlayers, region: 'x' })
      .then(() => redis.expire(RedisKeys.serverStatus(serverId), 30));
  const queue = async (region: string, count: number) => {
    const account = await f.account();
    const characters = await Promise.all(
      Array.from({ length: count }, () => f.character({ accountId: account.id })),
    );
    const ids: string[] = [];
    for (const c of characters)
      ids.push((await service.enqueue(account.id, region, c.id, undefined)).ticketId);
    return { accountId: account.id, ids };
  };

  beforeAll(async () => {
    stores = await openTestStores(6);
    ({ pool, redis } = stores);
    f = factories(pool);
    // The repositories' own client, as DbModule builds it; the tests check rows through `pool`.
    appPool = createPool({ url: stores.db.url, max: 6 });
    prisma = createPrismaClient(appPool);
    clock = new FakeClock(Date.now());
    cache = new MatchmakingCache(redis);
    repository = new MatchmakingRepository(prisma);
    service = new MatchmakingService(repository, cache, clock);
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await appPool?.end();
    await stores?.close();
  });

  it('flips a ticket to assigned exactly once among 50 racing attempts', async () => {
    const region = `r-${randomBytes(3).toString('hex')}`;
    const { ids } = await queue(region, 1);
    const servers = Array.from({ length: 50 }, () => randomUUID());
    const results = await Promise.all(servers.map((s) => cache.assign(ids[0], s, clock.ms)));
    assert.equal(results.filter(Boolean).length, 1);
    const serverId = servers[results.indexOf(true)];
    assert.equal(await redis.hget(RedisKeys.matchmakingTicket(ids[0]), 'serverId'), serverId);
    const promised = await Promise.all(servers.map((s) => redis.zcard(RedisKeys.matchmakingAssigned(s))));
    assert.equal(
      promised.reduce((a, b) => a + b, 0),
      1,
    );
  });

  it('two assigners racing (two instances, one lease) fill the free seats and no more, each ticket once', async () => {
    const region = `r-${randomBytes(3).toString('hex')}`;
    const a = await f.gameServer({ region, maxPlayers: 7 });
    const b = await f.gameServer({ region, maxPlayers: 1000 });
    await live(a.id, 2, 7); // 5 free
    await live(b.id, 995, 1000); // 5 free
    const { accountId, ids } = await queue(region, 30);
    const assigners = [1, 2].map(
      () => new MatchmakingAssigner(new MatchmakingRepository(prisma), new MatchmakingCache(redis), clock),
    );
    const rounds = await Promise.all([...assigners, ...assigners].map((x) => x.run()));
    assert.ok(rounds.filter((r) => r.ran).length >= 1);
    const views = await Promise.all(ids.map((id) => service.get(accountId, id)));
    const onA = views.filter((v) => v.serverId === a.id).length;
    const onB = views.filter((v) => v.serverId === b.id).length;
    assert.deepEqual([onA, onB], [5, 5]);
    assert.equal(await redis.llen(RedisKeys.matchmakingQueue(region)), 20);
    // Every queued ticket is still queued, in order, none lost or duplicated.
    assert.deepEqual(await redis.lrange(RedisKeys.matchmakingQueue(region), 0, -1), ids.slice(10));
    // A second round finds nothing free until the promises run out.
    assert.equal((await assigners[0].run()).assigned, 0);
    clock.ms += ASSIGNMENT_HOLD_MS + 1;
    assert.equal((await assigners[0].run()).assigned, 10);
  });

  it('takes the lease away from nobody: a run while another holds it does nothing', async () => {
    await redis.set(RedisKeys.lease('matchmaking'), 'someone-else', 'PX', 5_000);
    const assigner = new MatchmakingAssigner(repository, cache, clock);
    assert.deepEqual(await assigner.run(), { ran: false, assigned: 0, dropped: 0 });
    assert.equal(
      await redis.get(RedisKeys.lease('matchmaking')),
      'someone-else',
      'not released by a non-holder',
    );
    await redis.del(RedisKeys.lease('matchmaking'));
  });

  it('never counts more than 1,000 seats, whatever a heartbeat claims', async () => {
    const region = `r-${randomBytes(3).toString('hex')}`;
    const server = await f.gameServer({ region, maxPlayers: 1000 });
    await live(server.id, 998, 5000);
    const { ids } = await queue(region, 5);
    const result = await new MatchmakingAssigner(repository, cache, clock).run();
    assert.equal(result.assigned, 2);
    assert.equal(await redis.llen(RedisKeys.matchmakingQueue(region)), ids.length - 2);
  });
});
