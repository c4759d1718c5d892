import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { type Pool } from 'pg';
import type { Redis } from 'ioredis';
import { BusClient } from '@trustno1/bus';
import { AccountsSubjects, type AssignView, type TicketView } from '@trustno1/contracts';
import { RedisKeys, TTL } from '@trustno1/redis';
import {
  factories,
  testInfra,
  type Factories,
  type RunningApp,
  type TestNamespace,
  startCluster,
  type TestCluster,
  signUp,
  type SignedUpPlayer,
  call,
  codeOf,
  fieldsOf,
  heartbeat,
  redisSnapshot,
  TEST_ADMIN_KEY as ADMIN_KEY,
} from '@trustno1/testing';

const newRegion = () => `mm-${randomBytes(4).toString('hex')}`;

describe('matchmaking through the gateway: tickets, ownership and assignment', () => {
  let cluster: TestCluster;
  let ns: TestNamespace;
  let pool: Pool;
  let redis: Redis;
  let bus: BusClient;
  let f: Factories;
  let gateway: RunningApp;
  let alice: SignedUpPlayer;
  let bob: SignedUpPlayer;

  const api = <T = unknown>(method: string, path: string, options: Parameters<typeof call>[3] = {}) =>
    call<T>(gateway.url, method, path, options);
  const enqueue = (
    player: SignedUpPlayer,
    region: string,
    characterId: string,
    headers: Record<string, string> = {},
  ) =>
    api<{ ticketId: string }>('POST', `/v1/matchmaking/${region}/tickets`, {
      headers: { ...player.headers, ...headers },
      body: { characterId },
    });
  const ticket = (player: SignedUpPlayer, ticketId: string) =>
    api<TicketView>('GET', `/v1/matchmaking/tickets/${ticketId}`, { headers: player.headers });
  const assign = () =>
    bus.request<AssignView>(AccountsSubjects.assignTickets, {}, { principal: { kind: 'admin' } });
  const snapshot = () => redisSnapshot(testInfra().redisUrl, ns.redisKeyPrefix);

  beforeAll(async () => {
    cluster = await startCluster(['accounts', 'gateway']);
    ({ ns, pool, redis } = cluster);
    gateway = cluster.app('gateway');
    bus = new BusClient({ ...cluster.bus, serviceName: 'matchmaking-spec' });
    f = factories(pool);
    [alice, bob] = await Promise.all([signUp(gateway.url), signUp(gateway.url)]);
  });

  afterAll(async () => {
    await bus?.close();
    await cluster?.stop();
  });

  it('queues a ticket for an own character: 202 {ticketId}, readable as queued by its owner', async () => {
    const region = newRegion();
    const c = await f.character({ accountId: alice.accountId });
    const reply = await enqueue(alice, region, c.id);
    assert.equal(reply.status, 202, JSON.stringify(reply.body));
    assert.deepEqual(Object.keys(reply.body), ['ticketId']);
    const { ticketId } = reply.body;
    const read = await ticket(alice, ticketId);
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, { ticketId, status: 'queued' });
    const hash = await redis.hgetall(RedisKeys.matchmakingTicket(ticketId));
    assert.equal(hash.characterId, c.id);
    assert.equal(hash.accountId, alice.accountId);
    assert.equal(hash.region, region);
    const ttl = await redis.ttl(RedisKeys.matchmakingTicket(ticketId));
    assert.ok(ttl > 0 && ttl <= TTL.matchmakingTicket);
    assert.deepEqual(await redis.lrange(RedisKeys.matchmakingQueue(region), 0, -1), [ticketId]);
  });

  it("refuses tickets for another player's character (403) or an unknown one (404), and bad input (400), writing nothing", async () => {
    const region = newRegion();
    const bobs = await f.character({ accountId: bob.accountId });
    const before = await snapshot();
    const foreign = await enqueue(alice, region, bobs.id);
    assert.equal(foreign.status, 403);
    assert.equal(codeOf(foreign), 'FORBIDDEN');
    const unknown = await enqueue(alice, region, randomUUID());
    assert.equal(unknown.status, 404);
    const cases: Array<[string, string, { body?: unknown; raw?: string }, string[]]> = [
      ['bad id', region, { body: { characterId: 'x' } }, ['characterId']],
      ['number id', region, { body: { characterId: 7 } }, ['characterId']],
      ['missing', region, { body: {} }, ['characterId']],
      ['unknown field', region, { body: { characterId: bobs.id, priority: 1 } }, ['priority']],
      ['oversize region', 'r'.repeat(40), { body: { characterId: bobs.id } }, ['region']],
      ['bad region', 'EU_West', { body: { characterId: bobs.id } }, ['region']],
      ['malformed JSON', region, { raw: '{"characterId":' }, ['(body)']],
    ];
    for (const [name, r, input, fields] of cases) {
      const reply = await api('POST', `/v1/matchmaking/${r}/tickets`, { headers: alice.headers, ...input });
      assert.equal(reply.status, 400, `${name}: ${JSON.stringify(reply.body)}`);
      assert.deepEqual(fieldsOf(reply), fields, name);
    }
    assert.deepEqual(await snapshot(), before);
  });

  it("lets only the owner read a ticket: another player's is 403, an unknown one 404", async () => {
    const c = await f.character({ accountId: alice.accountId });
    const { ticketId } = (await enqueue(alice, newRegion(), c.id)).body;
    assert.equal((await ticket(bob, ticketId)).status, 403);
    assert.equal((await ticket(alice, randomUUID())).status, 404);
    const bad = await api('GET', '/v1/matchmaking/tickets/nope', { headers: alice.headers });
    assert.equal(bad.status, 400);
    assert.deepEqual(fieldsOf(bad), ['ticketId']);
  });

  it('opens both routes to players only', async () => {
    const server = await f.gameServer();
    const c = await f.character({ accountId: alice.accountId });
    const { ticketId } = (await enqueue(alice, newRegion(), c.id)).body;
    const callers: Array<[string, Record<string, string>, number]> = [
      ['nobody', {}, 401],
      ['server', { 'x-server-key': server.apiKey }, 403],
      ['admin', { 'x-admin-key': ADMIN_KEY }, 403],
      ['bad token', { authorization: `Bearer ${'x'.repeat(43)}` }, 401],
    ];
    const before = await snapshot();
    for (const [who, headers, status] of callers) {
      const post = await api('POST', `/v1/matchmaking/${newRegion()}/tickets`, {
        headers,
        body: { characterId: c.id },
      });
      assert.equal(post.status, status, `${who} POST`);
      const get = await api('GET', `/v1/matchmaking/tickets/${ticketId}`, { headers });
      assert.equal(get.status, status, `${who} GET`);
    }
    assert.deepEqual(await snapshot(), before);
  });

  it('replays a ticket for the same Idempotency-Key and refuses the key with another body', async () => {
    const region = newRegion();
    const [c1, c2] = [
      await f.character({ accountId: alice.accountId }),
      await f.character({ accountId: alice.accountId }),
    ];
    const key = { 'idempotency-key': `mm-${randomUUID()}` };
    const first = await enqueue(alice, region, c1.id, key);
    const again = await enqueue(alice, region, c1.id, key);
    assert.equal(again.status, 202);
    assert.equal(again.body.ticketId, first.body.ticketId);
    const reused = await enqueue(alice, region, c2.id, key);
    assert.equal(reused.status, 409);
    assert.equal(codeOf(reused), 'IDEMPOTENCY_KEY_REUSED');
    assert.equal(await redis.llen(RedisKeys.matchmakingQueue(region)), 1);
  });

  it("assigns queued tickets to the region's live servers, never above their free seats, each once", async () => {
    const region = newRegion();
    // Live with 3 seats, 1 taken; live but full; dead; another region's: only the first gets players.
    const open = await f.gameServer({ region, maxPlayers: 3 });
    const full = await f.gameServer({ region, maxPlayers: 5 });
    const dead = await f.gameServer({ region, maxPlayers: 100 });
    const elsewhere = await f.gameServer({ region: newRegion(), maxPlayers: 100 });
    await heartbeat(gateway.url, open.apiKey, 1, 3);
    await heartbeat(gateway.url, full.apiKey, 5, 5);
    await heartbeat(gateway.url, elsewhere.apiKey, 0, 100);
    void dead;
    const characters = await Promise.all(
      Array.from({ length: 5 }, () => f.character({ accountId: alice.accountId })),
    );
    const tickets: string[] = [];
    for (const c of characters) tickets.push((await enqueue(alice, region, c.id)).body.ticketId);

    const first = await Promise.all([assign(), assign(), assign(), assign()]);
    assert.equal(
      first.reduce((sum, r) => sum + r.assigned, 0),
      2,
      JSON.stringify(first),
    );
    const views = await Promise.all(tickets.map((id) => ticket(alice, id)));
    assert.deepEqual(
      views.map((v) => v.body.status),
      ['assigned', 'assigned', 'queued', 'queued', 'queued'],
      'oldest first',
    );
    assert.ok(views.slice(0, 2).every((v) => v.body.serverId === open.id));

    // The two promised seats count for 60 s: nothing more fits.
    assert.equal((await assign()).assigned, 0);
    // One of them joins: its promise is kept, and the seat count moves from promise to player.
    const joined = await api('POST', `/v1/players/${characters[0].id}/join`, {
      headers: { 'x-server-key': open.apiKey },
    });
    assert.equal(joined.status, 200);
    assert.equal(await redis.zcard(RedisKeys.matchmakingAssigned(open.id)), 1);
    assert.equal((await assign()).assigned, 1, '3 seats - max(1 heartbeat, 1 joined) - 1 promised = 1');
    assert.equal((await assign()).assigned, 0, 'full again');
    assert.equal(await redis.llen(RedisKeys.matchmakingQueue(region)), 2);
  });

  it('drops expired tickets and refuses the internal subject to non-admins', async () => {
    const region = newRegion();
    const server = await f.gameServer({ region, maxPlayers: 10 });
    await heartbeat(gateway.url, server.apiKey, 0, 10);
    const [c1, c2] = [
      await f.character({ accountId: alice.accountId }),
      await f.character({ accountId: alice.accountId }),
    ];
    const expired = (await enqueue(alice, region, c1.id)).body.ticketId;
    const kept = (await enqueue(alice, region, c2.id)).body.ticketId;
    await redis.del(RedisKeys.matchmakingTicket(expired));
    const result = await assign();
    assert.equal(result.assigned, 1);
    assert.ok(result.dropped >= 1);
    assert.equal((await ticket(alice, kept)).body.serverId, server.id);
    assert.equal((await ticket(alice, expired)).status, 404);
    await assert.rejects(
      bus.request(
        AccountsSubjects.assignTickets,
        {},
        { principal: { kind: 'player', accountId: alice.accountId } },
      ),
      { code: 'FORBIDDEN' },
    );
  });
});
