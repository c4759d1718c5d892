import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type Pool } from 'pg';
import type { Redis } from 'ioredis';
import { BusClient } from '@trustno1/bus';
import {
  AccountsSubjects,
  type AppError,
  type LiveServerView,
  type RegisteredServerView,
} from '@trustno1/contracts';
import { RedisKeys } from '@trustno1/redis';
import {
  type RunningApp,
  type TestNamespace,
  startCluster,
  type TestCluster,
  signUp,
  type SignedUpPlayer,
  type ErrorBody,
  TEST_ADMIN_KEY as ADMIN_KEY,
} from '@trustno1/testing';

const ADMIN = { 'x-admin-key': ADMIN_KEY, 'content-type': 'application/json' };
const JSON_TYPE = { 'content-type': 'application/json' };

const withoutContentType = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'content-type'));
const region = () => `r-${randomBytes(4).toString('hex')}`;
const beat = (over: Record<string, unknown> = {}) => ({
  players: 10,
  maxPlayers: 50,
  tickRate: 30,
  version: '1.2.3',
  ...over,
});

describe('game servers: registration, keys, heartbeats and the live listing', () => {
  let cluster: TestCluster;
  let ns: TestNamespace;
  let pool: Pool;
  let redis: Redis;
  let bus: BusClient;
  let gateway: RunningApp;
  let player: SignedUpPlayer;

  beforeAll(async () => {
    cluster = await startCluster(['accounts', 'gateway']);
    ({ ns, pool, redis } = cluster);
    gateway = cluster.app('gateway');
    bus = new BusClient({ ...cluster.bus, serviceName: 'servers-test' });
    player = await signUp(gateway.url);
  });

  afterAll(async () => {
    await bus?.close();
    await cluster?.stop();
  });

  const post = (body: unknown, headers: Record<string, string> = ADMIN) =>
    fetch(`${gateway.url}/v1/admin/servers`, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  async function register(
    over: Record<string, unknown> = {},
  ): Promise<{ id: string; apiKey: string; region: string }> {
    const body = {
      name: `srv-${randomBytes(3).toString('hex')}`,
      region: region(),
      maxPlayers: 100,
      ...over,
    };
    const response = await post(body);
    assert.equal(response.status, 201);
    const registered = (await response.json()) as RegisteredServerView;
    assert.ok(registered.apiKey, 'a first registration shows the key');
    return { id: registered.id, apiKey: registered.apiKey, region: body.region };
  }

  const heartbeat = (apiKey: string, body: unknown) =>
    fetch(`${gateway.url}/v1/servers/me/status`, {
      method: 'PUT',
      headers: { 'x-server-key': apiKey, ...JSON_TYPE },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  // No Content-Type without a body: Fastify refuses an empty body declared as JSON.
  const revoke = (id: string, headers: Record<string, string> = { 'x-admin-key': ADMIN_KEY }) =>
    fetch(`${gateway.url}/v1/admin/servers/${id}`, { method: 'DELETE', headers });

  async function listLive(r: string): Promise<LiveServerView[]> {
    const response = await fetch(`${gateway.url}/v1/servers?region=${r}`, { headers: player.headers });
    assert.equal(response.status, 200);
    return (await response.json()) as LiveServerView[];
  }

  const serverCount = async () =>
    Number((await pool.query(`SELECT count(*) FROM game_servers`)).rows[0].count);
  const statusKeys = async () => (await redis.keys(`${ns.redisKeyPrefix}server:status:*`)).length;

  it('registers a server, shows the key once and stores only its SHA-256', async () => {
    const server = await register({ name: 'EU #1', maxPlayers: 200 });
    assert.match(server.id, /^[0-9a-f-]{36}$/);
    assert.match(server.apiKey, /^[A-Za-z0-9_-]{43}$/);
    const { rows } = await pool.query(`SELECT * FROM game_servers WHERE id = $1`, [server.id]);
    assert.equal(rows[0].api_key_hash, createHash('sha256').update(server.apiKey).digest('hex'));
    assert.equal(rows[0].max_players, 200);
    assert.equal(rows[0].revoked_at, null);
    assert.ok(!JSON.stringify(rows[0]).includes(server.apiKey));
  });

  it('takes heartbeats: a status hash with a 30 s TTL, and the server is listed with its load', async () => {
    const server = await register({ name: 'Listed', maxPlayers: 100 });
    const response = await heartbeat(
      server.apiKey,
      beat({ players: 25, maxPlayers: 80, tickRate: 60, version: 'v9' }),
    );
    assert.equal(response.status, 204);
    const hash = await redis.hgetall(RedisKeys.serverStatus(server.id));
    assert.deepEqual(
      { ...hash, updatedAt: undefined },
      {
        players: '25',
        maxPlayers: '80',
        tickRate: '60',
        version: 'v9',
        name: 'Listed',
        region: server.region,
        updatedAt: undefined,
      },
    );
    assert.ok(!Number.isNaN(Date.parse(hash.updatedAt)));
    const pttl = await redis.pttl(RedisKeys.serverStatus(server.id));
    assert.ok(pttl > 25_000 && pttl <= 30_000, `PTTL ${pttl}`);
    assert.deepEqual(await redis.smembers(RedisKeys.regionServers(server.region)), [server.id]);
    assert.deepEqual(await listLive(server.region), [
      {
        id: server.id,
        name: 'Listed',
        region: server.region,
        players: 25,
        maxPlayers: 80,
        tickRate: 60,
        version: 'v9',
        load: 25 / 80,
      },
    ]);
    assert.deepEqual(await listLive(region()), []);
  });

  it('lists only live servers of the region, least loaded first, each server writing only its own status', async () => {
    const r = region();
    const [a, b, c] = [
      await register({ region: r }),
      await register({ region: r }),
      await register({ region: r }),
    ];
    assert.equal((await heartbeat(a.apiKey, beat({ players: 40, maxPlayers: 50 }))).status, 204);
    assert.equal((await heartbeat(b.apiKey, beat({ players: 5, maxPlayers: 50 }))).status, 204);
    assert.deepEqual(
      (await listLive(r)).map((s) => [s.id, s.load]),
      [
        [b.id, 0.1],
        [a.id, 0.8],
      ],
    );
    assert.equal(await redis.exists(RedisKeys.serverStatus(c.id)), 0);
    // A status that expires drops the server and prunes it from the region set.
    await redis.pexpire(RedisKeys.serverStatus(a.id), 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(
      (await listLive(r)).map((s) => s.id),
      [b.id],
    );
    assert.deepEqual(await redis.smembers(RedisKeys.regionServers(r)), [b.id]);
    // A heartbeat brings it back.
    assert.equal((await heartbeat(a.apiKey, beat({ players: 1, maxPlayers: 50 }))).status, 204);
    assert.deepEqual(
      (await listLive(r)).map((s) => s.id),
      [a.id, b.id],
    );
  });

  it('refuses a maxPlayers above the registered maximum (422 LIMIT_REACHED) and more players than maxPlayers (400)', async () => {
    const server = await register({ maxPlayers: 60 });
    const over = await heartbeat(server.apiKey, beat({ maxPlayers: 61 }));
    assert.equal(over.status, 422);
    assert.equal(((await over.json()) as ErrorBody).error.code, 'LIMIT_REACHED');
    const crowded = await heartbeat(server.apiKey, beat({ players: 51, maxPlayers: 50 }));
    assert.equal(crowded.status, 400);
    assert.deepEqual(
      ((await crowded.json()) as ErrorBody).error.details?.fields?.map((f) => f.field),
      ['players'],
    );
    assert.equal(await redis.exists(RedisKeys.serverStatus(server.id)), 0);
    assert.equal(await redis.exists(RedisKeys.regionServers(server.region)), 0);
    assert.equal((await heartbeat(server.apiKey, beat({ players: 60, maxPlayers: 60 }))).status, 204);
  });

  it('revokes a server: its key gets 401 on the very next request and it leaves the listing', async () => {
    const server = await register();
    assert.equal((await heartbeat(server.apiKey, beat())).status, 204);
    assert.equal((await listLive(server.region)).length, 1);
    assert.equal((await revoke(server.id)).status, 204);
    const next = await heartbeat(server.apiKey, beat());
    assert.equal(next.status, 401);
    assert.equal(((await next.json()) as ErrorBody).error.code, 'UNAUTHENTICATED');
    assert.equal(await redis.exists(RedisKeys.serverStatus(server.id)), 0);
    assert.equal(await redis.sismember(RedisKeys.regionServers(server.region), server.id), 0);
    assert.deepEqual(await listLive(server.region), []);
    assert.equal((await revoke(server.id)).status, 204, 'revoking twice is idempotent');
    const { rows } = await pool.query(`SELECT revoked_at FROM game_servers WHERE id = $1`, [server.id]);
    assert.ok(rows[0].revoked_at instanceof Date);
  });

  it('asks PostgreSQL once per key and minute; a revocation leaves a tombstone the key cannot pass', async () => {
    const server = await register();
    const keyHash = createHash('sha256').update(server.apiKey).digest('hex');
    assert.equal((await heartbeat(server.apiKey, beat())).status, 204);
    const cached = JSON.parse((await redis.get(RedisKeys.serverKey(keyHash))) ?? 'null') as {
      serverId: string;
    } | null;
    assert.equal(cached?.serverId, server.id);
    const ttl = await redis.ttl(RedisKeys.serverKey(keyHash));
    assert.ok(ttl > 0 && ttl <= 60, `ttl ${ttl}`);
    // Served from the cache: PostgreSQL is not asked again while the entry lives.
    await pool.query(`UPDATE game_servers SET api_key_hash = 'moved-' || id WHERE id = $1`, [server.id]);
    assert.equal((await heartbeat(server.apiKey, beat())).status, 204);
    await pool.query(`UPDATE game_servers SET api_key_hash = $2 WHERE id = $1`, [server.id, keyHash]);

    assert.equal((await revoke(server.id)).status, 204);
    assert.equal(await redis.get(RedisKeys.serverKey(keyHash)), 'revoked');
    assert.equal((await heartbeat(server.apiKey, beat())).status, 401);
    // Even with the tombstone gone, PostgreSQL says no, and only a brief `unknown` is cached.
    await redis.del(RedisKeys.serverKey(keyHash));
    assert.equal((await heartbeat(server.apiKey, beat())).status, 401);
    assert.equal(await redis.get(RedisKeys.serverKey(keyHash)), 'unknown');
    assert.ok((await redis.ttl(RedisKeys.serverKey(keyHash))) <= 10);
  });

  it('answers a flood of one unknown key from Redis: PostgreSQL is asked once per 10 s', async () => {
    const apiKey = `unknown-${Date.now()}-${Math.random()}`;
    const keyHash = createHash('sha256').update(apiKey).digest('hex');
    assert.equal((await heartbeat(apiKey, beat())).status, 401);
    assert.equal(await redis.get(RedisKeys.serverKey(keyHash)), 'unknown');
    // Had PostgreSQL been asked again, this row would now let the key in: it is not asked.
    const server = await register();
    await pool.query(`UPDATE game_servers SET api_key_hash = $2 WHERE id = $1`, [server.id, keyHash]);
    for (let i = 0; i < 5; i++) assert.equal((await heartbeat(apiKey, beat())).status, 401);
    // Once the brief entry is gone, PostgreSQL decides again.
    await redis.del(RedisKeys.serverKey(keyHash));
    assert.equal((await heartbeat(apiKey, beat())).status, 204);
  });

  it('hides a revoked server whose status survived in Redis, and cleans it up', async () => {
    const server = await register();
    assert.equal((await revoke(server.id)).status, 204);
    // As if the Redis clean-up after the revocation had failed.
    await redis.hset(RedisKeys.serverStatus(server.id), beat({ name: 'ghost', region: server.region }));
    await redis.expire(RedisKeys.serverStatus(server.id), 30);
    await redis.sadd(RedisKeys.regionServers(server.region), server.id);
    assert.deepEqual(await listLive(server.region), []);
    assert.equal(await redis.exists(RedisKeys.serverStatus(server.id)), 0);
  });

  it('answers 404 for an unknown server and 400 for an id that is not a UUID', async () => {
    const missing = await revoke(randomUUID());
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as ErrorBody).error.code, 'NOT_FOUND');
    const bad = await revoke('not-a-uuid');
    assert.equal(bad.status, 400);
    assert.deepEqual(
      ((await bad.json()) as ErrorBody).error.details?.fields?.map((f) => f.field),
      ['id'],
    );
  });

  it('replays POST /v1/admin/servers with the same Idempotency-Key and refuses another body', async () => {
    const body = { name: 'idem', region: region(), maxPlayers: 10 };
    const key = `reg-${randomUUID()}`;
    const first = await post(body, { ...ADMIN, 'idempotency-key': key });
    assert.equal(first.status, 201);
    const firstBody = (await first.json()) as RegisteredServerView;
    const before = await serverCount();
    const again = await post(body, { ...ADMIN, 'idempotency-key': key });
    assert.equal(again.status, 201);
    // The same server, but the key is never stored, so a replay cannot show it (SPEC §8).
    assert.deepEqual(await again.json(), { id: firstBody.id, apiKey: null });
    const stored = await pool.query(
      `SELECT response::text AS response FROM idempotency_keys WHERE key = $1`,
      [key],
    );
    assert.ok(
      !stored.rows[0].response.includes(firstBody.apiKey!),
      'the idempotency record must not hold the key',
    );
    const other = await post({ ...body, maxPlayers: 11 }, { ...ADMIN, 'idempotency-key': key });
    assert.equal(other.status, 409);
    assert.equal(((await other.json()) as ErrorBody).error.code, 'IDEMPOTENCY_KEY_REUSED');
    assert.equal(await serverCount(), before);
    assert.equal((await heartbeat(firstBody.apiKey!, beat({ maxPlayers: 10, players: 1 }))).status, 204);
  });

  it('answers 400 naming the field for every bad registration and writes nothing', async () => {
    const ok = { name: 'ok', region: 'eu-west', maxPlayers: 10 };
    const cases: [string, unknown, string][] = [
      ['missing name', { region: 'eu-west', maxPlayers: 10 }, 'name'],
      ['empty name', { ...ok, name: '' }, 'name'],
      ['long name', { ...ok, name: 'n'.repeat(65) }, 'name'],
      ['oversize name', { ...ok, name: 'n'.repeat(300_000) }, 'name'],
      ['number name', { ...ok, name: 7 }, 'name'],
      ['missing region', { name: 'ok', maxPlayers: 10 }, 'region'],
      ['bad region', { ...ok, region: 'EU WEST' }, 'region'],
      ['number region', { ...ok, region: 3 }, 'region'],
      ['missing maxPlayers', { name: 'ok', region: 'eu-west' }, 'maxPlayers'],
      ['maxPlayers 0', { ...ok, maxPlayers: 0 }, 'maxPlayers'],
      ['maxPlayers 1001', { ...ok, maxPlayers: 1001 }, 'maxPlayers'],
      ['maxPlayers 1.5', { ...ok, maxPlayers: 1.5 }, 'maxPlayers'],
      ['maxPlayers "10"', { ...ok, maxPlayers: '10' }, 'maxPlayers'],
      ['unknown field', { ...ok, apiKey: 'mine' }, 'apiKey'],
      ['array body', [ok], '(body)'],
      ['malformed JSON', '{"name": "ok",', '(body)'],
    ];
    const before = await serverCount();
    for (const [what, body, field] of cases) {
      const response = await post(body);
      assert.equal(response.status, 400, what);
      const error = ((await response.json()) as ErrorBody).error;
      assert.equal(error.code, 'VALIDATION_FAILED', what);
      assert.ok(
        error.details?.fields?.some((f) => f.field === field),
        `${what}: ${JSON.stringify(error.details)}`,
      );
    }
    assert.equal(await serverCount(), before);
  });

  it('answers 400 naming the field for every bad heartbeat and writes nothing', async () => {
    const server = await register();
    const cases: [string, unknown, string][] = [
      ['missing players', { maxPlayers: 10, tickRate: 30, version: 'v' }, 'players'],
      ['negative players', beat({ players: -1 }), 'players'],
      ['fractional players', beat({ players: 1.5 }), 'players'],
      ['string players', beat({ players: '3' }), 'players'],
      ['maxPlayers 0', beat({ maxPlayers: 0 }), 'maxPlayers'],
      ['maxPlayers 1001', beat({ maxPlayers: 1001 }), 'maxPlayers'],
      ['maxPlayers 1.5', beat({ maxPlayers: 1.5 }), 'maxPlayers'],
      ['maxPlayers "10"', beat({ maxPlayers: '10' }), 'maxPlayers'],
      ['tickRate 0', beat({ tickRate: 0 }), 'tickRate'],
      ['empty version', beat({ version: '' }), 'version'],
      ['long version', beat({ version: 'v'.repeat(65) }), 'version'],
      ['oversize version', beat({ version: 'v'.repeat(300_000) }), 'version'],
      ['unknown field', beat({ region: 'elsewhere' }), 'region'],
      ['malformed JSON', '{"players": 1', '(body)'],
    ];
    for (const [what, body, field] of cases) {
      const response = await heartbeat(server.apiKey, body);
      assert.equal(response.status, 400, what);
      const error = ((await response.json()) as ErrorBody).error;
      assert.equal(error.code, 'VALIDATION_FAILED', what);
      assert.ok(
        error.details?.fields?.some((f) => f.field === field),
        `${what}: ${JSON.stringify(error.details)}`,
      );
    }
    assert.equal(await redis.exists(RedisKeys.serverStatus(server.id)), 0);
    assert.equal(await redis.exists(RedisKeys.regionServers(server.region)), 0);
  });

  it('answers 400 naming the field for a bad listing query', async () => {
    for (const [query, field] of [
      ['', 'region'],
      ['?region=EU%20WEST', 'region'],
      ['?region=eu-west&region=us-east', 'region'],
      ['?region=eu-west&page=2', 'page'],
    ]) {
      const response = await fetch(`${gateway.url}/v1/servers${query}`, { headers: player.headers });
      assert.equal(response.status, 400, query);
      assert.ok(
        ((await response.json()) as ErrorBody).error.details?.fields?.some((f) => f.field === field),
        query,
      );
    }
  });

  it('opens each route to its principal only (route × principal)', async () => {
    const own = await register();
    const other = await register();
    const keysBefore = await statusKeys();
    const serversBefore = await serverCount();
    const who: Record<string, Record<string, string>> = {
      nobody: JSON_TYPE,
      player: player.headers,
      server: { 'x-server-key': own.apiKey, ...JSON_TYPE },
      'other server': { 'x-server-key': other.apiKey, ...JSON_TYPE },
      'bad server key': { 'x-server-key': 'not-a-key', ...JSON_TYPE },
      admin: ADMIN,
      'bad admin key': { 'x-admin-key': 'b'.repeat(40), ...JSON_TYPE },
    };
    const table: [string, string, unknown, Record<string, number>][] = [
      [
        'POST',
        '/v1/admin/servers',
        { name: 'x', region: 'eu-west', maxPlayers: 1 },
        {
          nobody: 401,
          player: 403,
          server: 403,
          'other server': 403,
          'bad server key': 401,
          'bad admin key': 401,
        },
      ],
      [
        'DELETE',
        `/v1/admin/servers/${own.id}`,
        undefined,
        {
          nobody: 401,
          player: 403,
          server: 403,
          'other server': 403,
          'bad server key': 401,
          'bad admin key': 401,
        },
      ],
      [
        'PUT',
        '/v1/servers/me/status',
        beat(),
        { nobody: 401, player: 403, admin: 403, 'bad server key': 401, 'bad admin key': 401 },
      ],
      [
        'GET',
        `/v1/servers?region=${own.region}`,
        undefined,
        {
          nobody: 401,
          server: 403,
          'other server': 403,
          admin: 403,
          'bad server key': 401,
          'bad admin key': 401,
        },
      ],
    ];
    for (const [method, path, body, expected] of table) {
      for (const [caller, status] of Object.entries(expected)) {
        const response = await fetch(`${gateway.url}${path}`, {
          method,
          headers: body === undefined ? withoutContentType(who[caller]) : who[caller],
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        assert.equal(response.status, status, `${method} ${path} as ${caller}`);
      }
    }
    assert.equal(await statusKeys(), keysBefore);
    assert.equal(await serverCount(), serversBefore);
    // Allowed callers: a server writes only its own status, never another's.
    assert.equal((await heartbeat(other.apiKey, beat())).status, 204);
    assert.equal(await redis.exists(RedisKeys.serverStatus(other.id)), 1);
    assert.equal(await redis.exists(RedisKeys.serverStatus(own.id)), 0);
    assert.equal((await listLive(own.region)).length, 0);
    assert.equal((await revoke(own.id)).status, 204);
  });

  it('authorizes again in the service for callers that use NATS directly', async () => {
    const server = await register();
    const asServer = { principal: { kind: 'server' as const, serverId: server.id, region: server.region } };
    const attempts: [string, unknown, Parameters<BusClient['request']>[2], string][] = [
      [
        AccountsSubjects.registerServer,
        { name: 'x', region: 'eu-west', maxPlayers: 1 },
        asServer,
        'FORBIDDEN',
      ],
      [
        AccountsSubjects.registerServer,
        { name: 'x', region: 'eu-west', maxPlayers: 1 },
        {},
        'UNAUTHENTICATED',
      ],
      [
        AccountsSubjects.revokeServer,
        { id: server.id },
        { principal: { kind: 'player', accountId: randomUUID() } },
        'FORBIDDEN',
      ],
      [AccountsSubjects.heartbeat, beat(), { principal: { kind: 'admin' } }, 'FORBIDDEN'],
      [
        AccountsSubjects.heartbeat,
        beat(),
        { principal: { kind: 'server', serverId: randomUUID(), region: 'eu-west' } },
        'UNAUTHENTICATED',
      ],
      [AccountsSubjects.listServers, { region: server.region }, asServer, 'FORBIDDEN'],
    ];
    for (const [subject, payload, opts, code] of attempts) {
      await assert.rejects(
        bus.request(subject, payload, opts),
        (e: AppError) => e.code === code,
        `${subject} ${code}`,
      );
    }
    await bus.request(AccountsSubjects.revokeServer, { id: server.id }, { principal: { kind: 'admin' } });
    await assert.rejects(
      bus.request(AccountsSubjects.heartbeat, beat(), asServer),
      (e: AppError) => e.code === 'UNAUTHENTICATED',
    );
    assert.equal(await redis.exists(RedisKeys.serverStatus(server.id)), 0);
  });
});
