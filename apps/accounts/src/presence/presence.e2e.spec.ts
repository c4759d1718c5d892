import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Pool } from 'pg';
import type { Redis } from 'ioredis';
import { BusClient } from '@trustno1/bus';
import { AccountsEvents, AccountsSubjects, type FlushView, type PlayerStateView } from '@trustno1/contracts';
import { RedisKeys, TTL } from '@trustno1/redis';
import {
  factories,
  testInfra,
  type Factories,
  type GameServerRow,
  type RunningApp,
  type TestNamespace,
  startCluster,
  type TestCluster,
  call,
  codeOf,
  detailsOf,
  fieldsOf,
  heartbeat,
  liveSession,
  playersSnapshot,
  redisSnapshot,
  type ErrorBody,
  TEST_ADMIN_KEY as ADMIN_KEY,
} from '@trustno1/testing';

const ROTATION = { x: 0, y: 0, z: 0, w: 1 };

describe('presence through the gateway: join, states, chunks, flush, leave', () => {
  let cluster: TestCluster;
  let ns: TestNamespace;
  let pool: Pool;
  let redis: Redis;
  let bus: BusClient;
  let f: Factories;
  let gateway: RunningApp;

  const asServer = (s: GameServerRow) => ({ 'x-server-key': s.apiKey });
  const api = <T = unknown>(method: string, path: string, options: Parameters<typeof call>[3] = {}) =>
    call<T>(gateway.url, method, path, options);
  /** A registered server with a live heartbeat. */
  const liveServer = async (over: { maxPlayers?: number } = {}) => {
    const server = await f.gameServer({ region: 'eu-west', maxPlayers: over.maxPlayers ?? 100 });
    await heartbeat(gateway.url, server.apiKey, 0, server.maxPlayers);
    return server;
  };
  const join = (server: GameServerRow, playerId: string, headers: Record<string, string> = {}) =>
    api<PlayerStateView>('POST', `/v1/players/${playerId}/join`, {
      headers: { ...asServer(server), ...headers },
    });
  /** A character whose player is logged in: a server may join it. */
  const playing = async () => {
    const c = await f.character();
    await liveSession(redis, c.accountId);
    return c;
  };
  const flush = () =>
    bus.request<FlushView>(AccountsSubjects.flushPositions, {}, { principal: { kind: 'admin' } });
  const state = (playerId: string, x: number, z: number) => ({
    playerId,
    position: { x, y: 5, z },
    rotation: ROTATION,
  });
  /** The player's presence events in the outbox, oldest first. */
  const presenceEvents = async (playerId: string) =>
    (
      await pool.query<{ subject: string; payload: Record<string, unknown> }>(
        `SELECT subject, payload FROM outbox WHERE subject LIKE 'evt.accounts.player.%' AND payload->>'playerId' = $1 ORDER BY created_at`,
        [playerId],
      )
    ).rows;
  // Without the servers' status heartbeats: they expire on their own (TTL 30 s), and on a loaded
  // machine one of an earlier test's servers may go between the two snapshots.
  const nothingChanged = async () => ({
    redis: Object.fromEntries(
      Object.entries(await redisSnapshot(testInfra().redisUrl, ns.redisKeyPrefix)).filter(
        ([key]) => !key.startsWith(`${ns.redisKeyPrefix}server:status:`),
      ),
    ),
    players: await playersSnapshot(pool),
  });

  beforeAll(async () => {
    cluster = await startCluster(['accounts', 'gateway']);
    ({ ns, pool, redis } = cluster);
    gateway = cluster.app('gateway');
    bus = new BusClient({ ...cluster.bus, serviceName: 'presence-spec' });
    f = factories(pool);
  });

  afterAll(async () => {
    await bus?.close();
    await cluster?.stop();
  });

  it('joins a character: 200 with its state, online in PostgreSQL, state hash and chunk set in Redis', async () => {
    const server = await liveServer();
    const c = await playing();
    const reply = await join(server, c.id);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.deepEqual(Object.keys(reply.body).sort(), [
      'chunkX',
      'chunkZ',
      'health',
      'playerId',
      'position',
      'rotation',
      'serverId',
    ]);
    assert.equal(reply.body.playerId, c.id);
    assert.equal(reply.body.serverId, server.id);
    assert.deepEqual(reply.body.position, { x: 0, y: 0, z: 0 });
    assert.equal(reply.body.health.head, 100);

    const row = (
      await pool.query(`SELECT server_id, is_online, linger_until FROM players WHERE id = $1`, [c.id])
    ).rows[0];
    assert.deepEqual(row, { server_id: server.id, is_online: true, linger_until: null });
    const hash = await redis.hgetall(RedisKeys.playerState(c.id));
    assert.equal(hash.serverId, server.id);
    assert.deepEqual([hash.chunkX, hash.chunkZ], ['0', '0']);
    for (const field of ['position', 'rotation', 'health', 'joinedAt', 'updatedAt'])
      assert.ok(hash[field], field);
    const ttl = await redis.ttl(RedisKeys.playerState(c.id));
    assert.ok(ttl > 0 && ttl <= TTL.playerState, `ttl ${ttl}`);
    assert.ok(await redis.sismember(RedisKeys.chunkPlayers(0, 0), c.id));
  });

  it('refuses a join with 404 for an unknown character and 400 for a bad id, writing nothing', async () => {
    const server = await liveServer();
    const before = await nothingChanged();
    const unknown = await join(server, randomUUID());
    assert.equal(unknown.status, 404);
    assert.equal(codeOf(unknown), 'NOT_FOUND');
    const bad = await join(server, 'not-a-uuid');
    assert.equal(bad.status, 400);
    assert.deepEqual(fieldsOf(bad), ['id']);
    assert.deepEqual(await nothingChanged(), before);
  });

  it('refuses (403 NO_SESSION_OR_ASSIGNMENT) to join a character whose player is not playing, writing nothing', async () => {
    const server = await liveServer();
    const idle = await f.character();
    const loggedOut = await f.character();
    const session = await liveSession(redis, loggedOut.accountId);
    await redis.del(RedisKeys.session(session)); // expired or revoked: the hash is gone
    const before = await nothingChanged();
    for (const c of [idle, loggedOut]) {
      const refused = await join(server, c.id);
      assert.equal(refused.status, 403, JSON.stringify(refused.body));
      assert.equal(detailsOf(refused).reason, 'NO_SESSION_OR_ASSIGNMENT');
    }
    assert.deepEqual(await nothingChanged(), before);
    // Another server's matchmaking assignment admits nobody here; this server's does.
    const elsewhere = await liveServer();
    await redis.zadd(RedisKeys.matchmakingAssigned(elsewhere.id), Date.now(), idle.id);
    assert.equal((await join(server, idle.id)).status, 403);
    await redis.zadd(RedisKeys.matchmakingAssigned(server.id), Date.now(), idle.id);
    assert.equal((await join(server, idle.id)).status, 200);
    await liveSession(redis, loggedOut.accountId);
    assert.equal((await join(server, loggedOut.id)).status, 200);
  });

  it('answers 409 ALREADY_ONLINE while another live server holds the character, and takes over from a dead one', async () => {
    const [a, b] = [await liveServer(), await liveServer()];
    const c = await playing();
    assert.equal((await join(a, c.id)).status, 200);
    await api('PUT', '/v1/players/states', {
      headers: asServer(a),
      body: { states: [state(c.id, 300, 10)] },
    });

    const refused = await join(b, c.id);
    assert.equal(refused.status, 409);
    assert.equal(codeOf(refused), 'ALREADY_ONLINE');
    assert.equal(
      (await pool.query(`SELECT server_id FROM players WHERE id = $1`, [c.id])).rows[0].server_id,
      a.id,
    );

    await redis.del(RedisKeys.serverStatus(a.id)); // a's heartbeats stopped: it is dead
    const taken = await join(b, c.id);
    assert.equal(taken.status, 200, JSON.stringify(taken.body));
    assert.equal(taken.body.serverId, b.id);
    // The dead server's last unflushed state is carried over, not lost.
    assert.deepEqual(taken.body.position, { x: 300, y: 5, z: 10 });
    assert.equal(taken.body.chunkX, 2);
    assert.equal(
      (await pool.query(`SELECT server_id FROM players WHERE id = $1`, [c.id])).rows[0].server_id,
      b.id,
    );
    assert.equal(await redis.hget(RedisKeys.playerState(c.id), 'serverId'), b.id);
  });

  it('lets exactly one of 50 parallel joins of one character on 50 live servers win', async () => {
    const servers = await Promise.all(Array.from({ length: 50 }, () => liveServer()));
    const c = await playing();
    const replies = await Promise.all(servers.map((s) => join(s, c.id)));
    const statuses = replies.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 200).length, 1, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 409).length, 49, statuses.join(','));
    assert.ok(replies.filter((r) => r.status === 409).every((r) => codeOf(r) === 'ALREADY_ONLINE'));
    const winner = servers[statuses.indexOf(200)];
    const row = (await pool.query(`SELECT server_id FROM players WHERE id = $1`, [c.id])).rows[0];
    assert.equal(row.server_id, winner.id);
    assert.equal(await redis.hget(RedisKeys.playerState(c.id), 'serverId'), winner.id);
  });

  it('answers 422 LIMIT_REACHED when the server already has its max players', async () => {
    const server = await liveServer({ maxPlayers: 2 });
    const [c1, c2, c3] = [await playing(), await playing(), await playing()];
    assert.equal((await join(server, c1.id)).status, 200);
    assert.equal((await join(server, c2.id)).status, 200);
    const full = await join(server, c3.id);
    assert.equal(full.status, 422);
    assert.equal(codeOf(full), 'LIMIT_REACHED');
    assert.equal(
      (await pool.query(`SELECT is_online FROM players WHERE id = $1`, [c3.id])).rows[0].is_online,
      false,
    );
    // A rejoin of a player already there takes no new seat.
    assert.equal((await join(server, c1.id)).status, 200);
  });

  it('replays a join with the same Idempotency-Key and refuses the key for another character', async () => {
    const server = await liveServer();
    const [c1, c2] = [await playing(), await playing()];
    const key = { 'idempotency-key': `join-${randomUUID()}` };
    const first = await join(server, c1.id, key);
    const again = await join(server, c1.id, key);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, first.body);
    assert.deepEqual(
      (await presenceEvents(c1.id)).map((e) => e.subject),
      [AccountsEvents.playerJoined],
      'a replay writes no second event',
    );
    const reused = await join(server, c2.id, key);
    assert.equal(reused.status, 409);
    assert.equal(codeOf(reused), 'IDEMPOTENCY_KEY_REUSED');
    assert.deepEqual(await presenceEvents(c2.id), []);
    assert.equal(
      (await pool.query(`SELECT is_online FROM players WHERE id = $1`, [c2.id])).rows[0].is_online,
      false,
    );
  });

  it('authorizes presence routes for game servers only', async () => {
    const server = await liveServer();
    const other = await liveServer();
    const c = await playing();
    assert.equal((await join(server, c.id)).status, 200);
    const callers: Record<string, Record<string, string>> = {
      nobody: {},
      admin: { 'x-admin-key': ADMIN_KEY },
      'bad server key': { 'x-server-key': 'x'.repeat(43) },
    };
    const before = await nothingChanged();
    for (const [who, headers] of Object.entries(callers)) {
      const expected = who === 'admin' ? 403 : 401;
      for (const [method, path, body] of [
        ['POST', `/v1/players/${c.id}/join`, undefined],
        ['POST', `/v1/players/${c.id}/leave`, undefined],
        ['PUT', '/v1/players/states', { states: [state(c.id, 1, 1)] }],
        ['GET', '/v1/chunks/0/0/players', undefined],
      ] as const) {
        const reply = await api(method, path, { headers, body });
        assert.equal(reply.status, expected, `${who} ${method} ${path}: ${JSON.stringify(reply.body)}`);
      }
    }
    // Another server acts only on its own players.
    const leave = await api('POST', `/v1/players/${c.id}/leave`, { headers: asServer(other) });
    assert.equal(leave.status, 403);
    const states = await api<ErrorBody>('PUT', '/v1/players/states', {
      headers: asServer(other),
      body: { states: [state(c.id, 1, 1)] },
    });
    assert.equal(states.status, 403);
    assert.deepEqual(states.body.error.details?.playerIds, [c.id]);
    const chunk = await api<{ playerIds: string[] }>('GET', '/v1/chunks/0/0/players', {
      headers: asServer(other),
    });
    assert.ok(!chunk.body.playerIds.includes(c.id));
    assert.deepEqual(await nothingChanged(), before);
  });

  it('writes a batch of 1,000 states to Redis: hashes renewed, chunk sets moved across a border, dirty set', async () => {
    const server = await liveServer({ maxPlayers: 1000 });
    const ids = (await Promise.all(Array.from({ length: 1000 }, () => playing()))).map((c) => c.id);
    // Joins on one server queue on its row lock (exact seat counts), so arrange them 25 at a time.
    for (let i = 0; i < ids.length; i += 25) {
      const replies = await Promise.all(ids.slice(i, i + 25).map((id) => join(server, id)));
      const failed = replies.filter((r) => r.status !== 200);
      assert.deepEqual(
        failed.map((r) => [r.status, r.body]),
        [],
        'every arranged join succeeds',
      );
    }
    // Shorten the TTLs to see the batch renew them.
    await Promise.all(ids.map((id) => redis.expire(RedisKeys.playerState(id), 10)));
    const batch = ids.map((id, i) => state(id, i % 2 === 0 ? 127.5 : 128.5, -0.5));
    const reply = await api('PUT', '/v1/players/states', {
      headers: asServer(server),
      body: { states: batch },
    });
    assert.equal(reply.status, 204, JSON.stringify(reply.body));

    const [even, odd] = [ids[0], ids[1]];
    assert.deepEqual(await redis.hmget(RedisKeys.playerState(even), 'chunkX', 'chunkZ'), ['0', '-1']);
    assert.deepEqual(await redis.hmget(RedisKeys.playerState(odd), 'chunkX', 'chunkZ'), ['1', '-1']);
    assert.deepEqual(JSON.parse((await redis.hget(RedisKeys.playerState(odd), 'position'))!), {
      x: 128.5,
      y: 5,
      z: -0.5,
    });
    const ttls = await Promise.all(ids.map((id) => redis.ttl(RedisKeys.playerState(id))));
    assert.ok(
      ttls.every((t) => t > 10 && t <= TTL.playerState),
      'every TTL renewed',
    );
    const inOld = await redis.smembers(RedisKeys.chunkPlayers(0, 0));
    assert.ok(
      ids.every((id) => !inOld.includes(id)),
      'all left chunk 0,0 (z crossed below 0)',
    );
    assert.equal(await redis.scard(RedisKeys.chunkPlayers(0, -1)), 500);
    assert.equal(await redis.scard(RedisKeys.chunkPlayers(1, -1)), 500);
    assert.equal(
      await redis.smismember(RedisKeys.positionsDirty(), ...ids).then((m) => m.filter(Boolean).length),
      1000,
    );

    const listed = await api<{ playerIds: string[] }>('GET', '/v1/chunks/1/-1/players', {
      headers: asServer(server),
    });
    assert.equal(listed.status, 200);
    assert.equal(listed.body.playerIds.length, 500);
    assert.ok(listed.body.playerIds.includes(odd));

    // PostgreSQL stays untouched until the flush.
    assert.equal((await pool.query(`SELECT chunk_x FROM players WHERE id = $1`, [odd])).rows[0].chunk_x, 0);
    const flushed = await flush();
    assert.ok(flushed.flushed >= 1000, JSON.stringify(flushed));
    const row = (await pool.query(`SELECT position, chunk_x, chunk_z FROM players WHERE id = $1`, [odd]))
      .rows[0];
    assert.deepEqual(row, { position: { x: 128.5, y: 5, z: -0.5 }, chunk_x: 1, chunk_z: -1 });
    assert.equal(await redis.scard(RedisKeys.positionsDirty()), 0);
  });

  it('adds the flushed path to distance_traveled, but not a teleport', async () => {
    const server = await liveServer();
    const c = await playing();
    assert.equal((await join(server, c.id)).status, 200);
    const start = (await pool.query(`SELECT position FROM players WHERE id = $1`, [c.id])).rows[0]
      .position as { x: number; y: number; z: number };
    const travelled = async () =>
      Number(
        (await pool.query(`SELECT distance_traveled FROM player_stats WHERE player_id = $1`, [c.id])).rows[0]
          .distance_traveled,
      );
    const moveTo = async (x: number, z: number) => {
      const put = await api('PUT', '/v1/players/states', {
        headers: asServer(server),
        body: { states: [{ playerId: c.id, position: { x, y: start.y, z }, rotation: ROTATION }] },
      });
      assert.equal(put.status, 204);
      await flush();
    };
    await moveTo(start.x + 30, start.z + 40);
    assert.equal(await travelled(), 50);
    await moveTo(start.x + 30, start.z + 40);
    assert.equal(await travelled(), 50, 'standing still adds nothing');
    await moveTo(start.x + 30 + 5_000, start.z + 40);
    assert.equal(await travelled(), 50, 'a teleport is not travel');
    await moveTo(start.x + 30 + 5_000, start.z + 40 + 12);
    assert.equal(await travelled(), 62);
  });

  it("never writes a game server's health over a dead character's: combat owns it until the respawn", async () => {
    const server = await liveServer();
    const c = await playing();
    assert.equal((await join(server, c.id)).status, 200);
    // What combat's killing blow leaves (apply_hits): the body part at 0 and the death mark.
    const dead = {
      head: 0,
      thorax: 35,
      stomach: 100,
      left_arm: 100,
      right_arm: 100,
      left_leg: 100,
      right_leg: 100,
    };
    await pool.query(`UPDATE players SET health = $2, died_at = now() WHERE id = $1`, [
      c.id,
      JSON.stringify(dead),
    ]);
    const full = Object.fromEntries(Object.keys(dead).map((part) => [part, 100]));
    const put = await api('PUT', '/v1/players/states', {
      headers: asServer(server),
      body: { states: [{ ...state(c.id, 40, 40), health: full }] },
    });
    assert.equal(put.status, 204);
    await flush();
    const row = async () =>
      (
        await pool.query(`SELECT health, died_at IS NOT NULL AS dead, position FROM players WHERE id = $1`, [
          c.id,
        ])
      ).rows[0] as { health: unknown; dead: boolean; position: { x: number } };
    assert.deepEqual([(await row()).health, (await row()).dead, (await row()).position.x], [dead, true, 40]);
    assert.equal((await api('POST', `/v1/players/${c.id}/leave`, { headers: asServer(server) })).status, 200);
    assert.deepEqual([(await row()).health, (await row()).dead], [dead, true], 'the leave keeps it too');
  });

  it('refuses a batch naming one foreign player with 403 and writes nothing', async () => {
    const server = await liveServer();
    const other = await liveServer();
    const mine = await playing();
    const theirs = await playing();
    const offline = await playing();
    assert.equal((await join(server, mine.id)).status, 200);
    assert.equal((await join(other, theirs.id)).status, 200);
    const before = await nothingChanged();
    const reply = await api<ErrorBody>('PUT', '/v1/players/states', {
      headers: asServer(server),
      body: { states: [state(mine.id, 500, 500), state(theirs.id, 1, 1), state(offline.id, 2, 2)] },
    });
    assert.equal(reply.status, 403);
    assert.equal(reply.body.error.code, 'FORBIDDEN');
    assert.deepEqual([...(reply.body.error.details?.playerIds ?? [])].sort(), [theirs.id, offline.id].sort());
    assert.deepEqual(await nothingChanged(), before);
  });

  it('refuses bad batches with 400 naming the field and writes nothing', async () => {
    const server = await liveServer();
    const c = await playing();
    assert.equal((await join(server, c.id)).status, 200);
    const good = JSON.stringify(state(c.id, 1, 1));
    const cases: Array<[string, { body?: unknown; raw?: string }, string[]]> = [
      [
        '1,001 states',
        { body: { states: Array.from({ length: 1001 }, () => state(c.id, 1, 1)) } },
        ['states'],
      ],
      ['empty', { body: { states: [] } }, ['states']],
      [
        'string number',
        { raw: `{"states":[${good},${good.replace('"x":1', '"x":"1"')}]}` },
        ['states.1.position.x'],
      ],
      ['null number', { raw: `{"states":[${good.replace('"z":1', '"z":null')}]}` }, ['states.0.position.z']],
      ['1e309', { raw: `{"states":[${good.replace('"x":1', '"x":1e309')}]}` }, ['states.0.position.x']],
      ['unknown field', { body: { states: [{ ...state(c.id, 1, 1), speed: 3 }] } }, ['states.0.speed']],
      ['unknown top field', { body: { states: [state(c.id, 1, 1)], extra: true } }, ['extra']],
      [
        'bad rotation',
        { body: { states: [{ ...state(c.id, 1, 1), rotation: { x: 0, y: 0, z: 0 } }] } },
        ['states.0.rotation.w'],
      ],
      [
        'bad health',
        { body: { states: [{ ...state(c.id, 1, 1), health: { head: 101 } }] } },
        ['states.0.health.head'],
      ],
      ['bad id', { body: { states: [{ ...state(c.id, 1, 1), playerId: 'x' }] } }, ['states.0.playerId']],
      ['duplicate', { body: { states: [state(c.id, 1, 1), state(c.id, 2, 2)] } }, ['states.1.playerId']],
      ['outside the world', { body: { states: [state(c.id, 1e300, 1)] } }, ['states.0.position.x']],
      ['missing', { body: {} }, ['states']],
      ['malformed JSON', { raw: '{"states": [' }, ['(body)']],
    ];
    const before = await nothingChanged();
    for (const [name, input, fields] of cases) {
      const reply = await api('PUT', '/v1/players/states', { headers: asServer(server), ...input });
      assert.equal(reply.status, 400, `${name}: ${JSON.stringify(reply.body)}`);
      assert.equal(codeOf(reply), 'VALIDATION_FAILED', name);
      for (const field of fields)
        assert.ok(fieldsOf(reply).includes(field), `${name}: ${fieldsOf(reply).join(', ')}`);
    }
    const chunk = await api('GET', '/v1/chunks/1.5/abc/players', { headers: asServer(server) });
    assert.equal(chunk.status, 400);
    assert.deepEqual(fieldsOf(chunk).sort(), ['x', 'z']);
    assert.deepEqual(await nothingChanged(), before);
  });

  it('leaves: position and playtime written at once, presence cleared everywhere', async () => {
    const server = await liveServer();
    const c = await playing();
    assert.equal((await join(server, c.id)).status, 200);
    // The stay began 90 s ago.
    await redis.hset(RedisKeys.playerState(c.id), 'joinedAt', String(Date.now() - 90_000));
    await api('PUT', '/v1/players/states', {
      headers: asServer(server),
      body: { states: [state(c.id, -200, 700)] },
    });

    const reply = await api('POST', `/v1/players/${c.id}/leave`, { headers: asServer(server) });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.deepEqual(reply.body, {});
    const row = (
      await pool.query(
        `SELECT server_id, is_online, position, chunk_x, chunk_z, playtime_seconds, linger_until FROM players WHERE id = $1`,
        [c.id],
      )
    ).rows[0];
    assert.equal(row.server_id, null);
    assert.equal(row.is_online, false);
    assert.equal(row.linger_until, null);
    assert.deepEqual(row.position, { x: -200, y: 5, z: 700 });
    assert.deepEqual([row.chunk_x, row.chunk_z], [-2, 5]);
    assert.ok(
      Number(row.playtime_seconds) >= 89 && Number(row.playtime_seconds) <= 95,
      `playtime ${row.playtime_seconds}`,
    );
    assert.equal(await redis.exists(RedisKeys.playerState(c.id)), 0);
    assert.equal(await redis.sismember(RedisKeys.chunkPlayers(-2, 5), c.id), 0);
    assert.equal(await redis.sismember(RedisKeys.positionsDirty(), c.id), 0);
    const events = await presenceEvents(c.id);
    assert.deepEqual(
      events.map((e) => [e.subject, e.payload.serverId, e.payload.reason ?? null]),
      [
        [AccountsEvents.playerJoined, server.id, null],
        [AccountsEvents.playerLeft, server.id, 'left'],
      ],
    );

    const again = await api('POST', `/v1/players/${c.id}/leave`, { headers: asServer(server) });
    assert.equal(again.status, 403);
    assert.equal(
      (await api('POST', `/v1/players/${randomUUID()}/leave`, { headers: asServer(server) })).status,
      404,
    );
  });

  it('keeps a player who leaves within 30 s of combat in the world until lingerUntil, then the flush takes it offline', async () => {
    const server = await liveServer();
    const other = await liveServer();
    const c = await playing();
    assert.equal((await join(server, c.id)).status, 200);
    const lastHit = Date.now() - 28_500;
    await redis.zadd(RedisKeys.combatRecent(c.id), lastHit - 5_000, 'older-hit', lastHit, 'last-hit');

    const reply = await api<{ lingerUntil?: string }>('POST', `/v1/players/${c.id}/leave`, {
      headers: asServer(server),
    });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.lingerUntil, new Date(lastHit + 30_000).toISOString());
    const lingering = (
      await pool.query(`SELECT server_id, is_online, linger_until FROM players WHERE id = $1`, [c.id])
    ).rows[0];
    assert.deepEqual(lingering, {
      server_id: server.id,
      is_online: true,
      linger_until: new Date(lastHit + 30_000),
    });
    assert.equal(await redis.sismember(RedisKeys.chunkPlayers(0, 0), c.id), 1, 'still killable in its chunk');
    assert.equal((await join(other, c.id)).status, 409, 'cannot escape to another server');
    const early = await flush();
    assert.equal(early.finalized, 0);

    await sleep(Math.max(0, lastHit + 30_000 - Date.now()) + 200);
    const late = await flush();
    assert.equal(late.finalized, 1);
    const row = (
      await pool.query(`SELECT server_id, is_online, linger_until FROM players WHERE id = $1`, [c.id])
    ).rows[0];
    assert.deepEqual(row, { server_id: null, is_online: false, linger_until: null });
    assert.deepEqual(
      (await presenceEvents(c.id)).map((e) => [e.subject, e.payload.reason ?? null, e.payload.serverId]),
      [
        [AccountsEvents.playerJoined, null, server.id],
        [AccountsEvents.playerLeft, 'lingering', server.id],
        [AccountsEvents.playerLeft, 'linger_ended', server.id],
      ],
    );
    assert.equal(await redis.sismember(RedisKeys.chunkPlayers(0, 0), c.id), 0);
    assert.equal(await redis.exists(RedisKeys.playerState(c.id)), 0);
  });

  it('documents the presence and matchmaking routes in OpenAPI with their principals', async () => {
    const doc = (
      await api<{ paths: Record<string, Record<string, { security?: Record<string, unknown>[] }>> }>(
        'GET',
        '/docs/openapi.json',
      )
    ).body;
    const expected: Array<[string, string, string]> = [
      ['/v1/players/{id}/join', 'post', 'server'],
      ['/v1/players/{id}/leave', 'post', 'server'],
      ['/v1/players/states', 'put', 'server'],
      ['/v1/chunks/{x}/{z}/players', 'get', 'server'],
      ['/v1/matchmaking/{region}/tickets', 'post', 'player'],
      ['/v1/matchmaking/tickets/{ticketId}', 'get', 'player'],
    ];
    for (const [path, method, principal] of expected) {
      const operation = doc.paths[path]?.[method];
      assert.ok(operation, `${method} ${path}`);
      assert.ok(
        operation.security?.some((s) => principal in s),
        `${method} ${path} security`,
      );
    }
  });

  it('refuses the internal flush subject to anyone but the admin principal', async () => {
    await assert.rejects(
      bus.request(
        AccountsSubjects.flushPositions,
        {},
        { principal: { kind: 'server', serverId: randomUUID(), region: 'eu-west' } },
      ),
      {
        code: 'FORBIDDEN',
      },
    );
  });
});
