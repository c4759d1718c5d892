import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { type Pool } from 'pg';
import { BusClient } from '@trustno1/bus';
import {
  AccountsEvents,
  AccountsSubjects,
  type AppError,
  BODY_PARTS,
  type CharacterView,
} from '@trustno1/contracts';
import {
  factories,
  type RunningApp,
  startCluster,
  type TestCluster,
  signUp,
  type SignedUpPlayer,
  type ErrorBody,
  TEST_ADMIN_KEY as ADMIN_KEY,
} from '@trustno1/testing';
import { seedFrom, terrainHeight, WATER_LEVEL } from '@trustno1/world-domain';
import {
  chunkOf,
  DEFAULT_SPAWN_POINTS,
  MAX_CHARACTERS_PER_ACCOUNT,
  spawnPointsOnLand,
} from './character.rules';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const uniqueName = (prefix = 'c') => `${prefix}_${randomBytes(5).toString('hex')}`;

describe('characters: creation in one transaction, listing, limits and names', () => {
  let cluster: TestCluster;
  let pool: Pool;
  let bus: BusClient;
  let gateway: RunningApp;

  beforeAll(async () => {
    cluster = await startCluster(['accounts', 'gateway']);
    ({ pool } = cluster);
    gateway = cluster.app('gateway');
    bus = new BusClient({ ...cluster.bus, serviceName: 'characters-test' });
  });

  afterAll(async () => {
    await bus?.close();
    await cluster?.stop();
  });

  const create = (player: SignedUpPlayer, body: unknown, extra: Record<string, string> = {}) =>
    fetch(`${gateway.url}/v1/characters`, {
      method: 'POST',
      headers: { ...player.headers, ...extra },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  const list = async (player: SignedUpPlayer) => {
    const response = await fetch(`${gateway.url}/v1/characters`, { headers: player.headers });
    assert.equal(response.status, 200);
    return (await response.json()) as CharacterView[];
  };

  /** Row counts of everything character creation writes. */
  async function counts(): Promise<Record<string, number>> {
    const { rows } = await pool.query<Record<string, string>>(`
      SELECT (SELECT count(*) FROM players) AS players,
             (SELECT count(*) FROM player_stats) AS player_stats,
             (SELECT count(*) FROM wallets) AS wallets,
             (SELECT count(*) FROM inventories) AS inventories,
             (SELECT count(*) FROM outbox) AS outbox,
             (SELECT count(*) FROM idempotency_keys) AS idempotency_keys`);
    return Object.fromEntries(Object.entries(rows[0]).map(([k, v]) => [k, Number(v)]));
  }

  /** Every character has exactly its stats row, one zero wallet per currency, one player inventory and one event; nothing is orphaned. */
  async function assertNoOrphans(): Promise<void> {
    const { rows } = await pool.query<Record<string, string>>(
      `
      SELECT
        (SELECT count(*) FROM players p WHERE (SELECT count(*) FROM player_stats s WHERE s.player_id = p.id) <> 1) AS without_stats,
        (SELECT count(*) FROM players p WHERE (SELECT count(*) FROM wallets w WHERE w.player_id = p.id AND w.balance = 0) <> 3
                                           OR (SELECT count(DISTINCT currency) FROM wallets w WHERE w.player_id = p.id) <> 3) AS bad_wallets,
        (SELECT count(*) FROM players p WHERE (SELECT count(*) FROM inventories i WHERE i.owner_id = p.id AND i.owner_type = 'player') <> 1) AS bad_inventory,
        (SELECT count(*) FROM players p WHERE (SELECT count(*) FROM outbox o WHERE o.subject = $1 AND o.payload->>'playerId' = p.id::text) <> 1) AS bad_events,
        (SELECT count(*) FROM player_stats s WHERE NOT EXISTS (SELECT 1 FROM players p WHERE p.id = s.player_id)) AS orphan_stats,
        (SELECT count(*) FROM inventories i WHERE i.owner_type = 'player' AND NOT EXISTS (SELECT 1 FROM players p WHERE p.id = i.owner_id)) AS orphan_inventories,
        (SELECT count(*) FROM outbox o WHERE o.subject = $1 AND NOT EXISTS (SELECT 1 FROM players p WHERE p.id::text = o.payload->>'playerId')) AS orphan_events`,
      [AccountsEvents.characterCreated],
    );
    for (const [what, n] of Object.entries(rows[0])) assert.equal(Number(n), 0, what);
  }

  it('creates a character with spawn, health, stats, wallets, inventory and its event', async () => {
    const player = await signUp(gateway.url);
    const name = uniqueName('Hero');
    const response = await create(player, { name });
    assert.equal(response.status, 201);
    const body = (await response.json()) as CharacterView;
    assert.match(body.id, UUID);
    assert.deepEqual(Object.keys(body).sort(), [
      'accountId',
      'characterName',
      'chunkX',
      'chunkZ',
      'createdAt',
      'health',
      'id',
      'position',
      'rotation',
    ]);
    assert.equal(body.characterName, name);
    assert.equal(body.accountId, player.accountId);
    // One of the default spawn points, moved onto dry land of the default world (issue 10).
    const seed = seedFrom('trustno1');
    assert.ok(
      spawnPointsOnLand(DEFAULT_SPAWN_POINTS, seed).some(
        (p) => p.x === body.position.x && p.y === body.position.y && p.z === body.position.z,
      ),
    );
    assert.ok(terrainHeight(seed, body.position.x, body.position.z) >= WATER_LEVEL, 'spawned in the sea');
    assert.deepEqual(body.rotation, { x: 0, y: 0, z: 0, w: 1 });
    assert.equal(body.chunkX, chunkOf(body.position.x));
    assert.equal(body.chunkZ, chunkOf(body.position.z));
    assert.deepEqual(Object.keys(body.health).sort(), [...BODY_PARTS].sort());
    assert.ok(Object.values(body.health).every((v) => v === 100));
    assert.ok(!Number.isNaN(Date.parse(body.createdAt)));

    const row = await pool.query(`SELECT stats, is_online, chunk_x, chunk_z FROM players WHERE id = $1`, [
      body.id,
    ]);
    assert.deepEqual(row.rows[0].stats, { level: 1, xp: 0, skills: {} });
    assert.equal(row.rows[0].is_online, false);
    const wallets = await pool.query(
      `SELECT currency, balance FROM wallets WHERE player_id = $1 ORDER BY currency`,
      [body.id],
    );
    assert.deepEqual(
      wallets.rows.map((w: { currency: string; balance: string }) => [w.currency, Number(w.balance)]),
      [
        ['scrap', 0],
        ['hqm', 0],
        ['credits', 0],
      ],
    );
    const inv = await pool.query(
      `SELECT grid_width, grid_height, max_weight, locked FROM inventories WHERE owner_id = $1 AND owner_type = 'player'`,
      [body.id],
    );
    assert.deepEqual(inv.rows, [{ grid_width: 10, grid_height: 6, max_weight: 60, locked: false }]);
    const event = await pool.query(
      `SELECT payload FROM outbox WHERE subject = $1 AND payload->>'playerId' = $2`,
      [AccountsEvents.characterCreated, body.id],
    );
    assert.equal(event.rowCount, 1);
    assert.equal(event.rows[0].payload.accountId, player.accountId);
    await assertNoOrphans();
  });

  it('lists only the caller’s own characters', async () => {
    const [alice, bob] = [await signUp(gateway.url), await signUp(gateway.url)];
    const a1 = (await (await create(alice, { name: uniqueName('a') })).json()) as CharacterView;
    const a2 = (await (await create(alice, { name: uniqueName('a') })).json()) as CharacterView;
    const b1 = (await (await create(bob, { name: uniqueName('b') })).json()) as CharacterView;
    assert.deepEqual(
      (await list(alice)).map((c) => c.id),
      [a1.id, a2.id],
    );
    assert.deepEqual(await list(bob), [b1]);
    assert.deepEqual(await list(await signUp(gateway.url)), []);
  });

  it('refuses a taken name whatever its case (409 NAME_TAKEN) and writes nothing', async () => {
    const [alice, bob] = [await signUp(gateway.url), await signUp(gateway.url)];
    const name = uniqueName('Taken');
    assert.equal((await create(alice, { name })).status, 201);
    const before = await counts();
    for (const [player, variant] of [
      [bob, name.toUpperCase()],
      [alice, name.toLowerCase()],
      [bob, name],
    ] as const) {
      const response = await create(player, { name: variant });
      assert.equal(response.status, 409, variant);
      assert.equal(((await response.json()) as ErrorBody).error.code, 'NAME_TAKEN');
    }
    assert.deepEqual(await counts(), before);
    await assertNoOrphans();
  });

  it('gives one name to exactly one of 50 parallel creations, case variants included', async () => {
    const racers = await Promise.all(Array.from({ length: 10 }, () => signUp(gateway.url)));
    const base = uniqueName('Race');
    const variants = [
      base,
      base.toUpperCase(),
      base.toLowerCase(),
      base[0].toLowerCase() + base.slice(1).toUpperCase(),
    ];
    const before = await counts();
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        create(racers[i % racers.length], { name: variants[i % variants.length] }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, 1, JSON.stringify(statuses));
    assert.equal(statuses.filter((s) => s === 409).length, 49, JSON.stringify(statuses));
    const codes = await Promise.all(
      responses.filter((r) => r.status === 409).map(async (r) => ((await r.json()) as ErrorBody).error.code),
    );
    assert.ok(codes.every((c) => c === 'NAME_TAKEN'));
    const after = await counts();
    assert.equal(after.players - before.players, 1);
    assert.equal(after.inventories - before.inventories, 1);
    assert.equal(after.wallets - before.wallets, 3);
    await assertNoOrphans();
  });

  it(`stops at ${MAX_CHARACTERS_PER_ACCOUNT} characters per account (422 LIMIT_REACHED)`, async () => {
    const player = await signUp(gateway.url);
    for (let i = 0; i < MAX_CHARACTERS_PER_ACCOUNT; i++)
      assert.equal((await create(player, { name: uniqueName() })).status, 201);
    const before = await counts();
    const response = await create(player, { name: uniqueName() });
    assert.equal(response.status, 422);
    const body = (await response.json()) as ErrorBody;
    assert.equal(body.error.code, 'LIMIT_REACHED');
    assert.equal(body.error.requestId, response.headers.get('x-request-id'));
    assert.deepEqual(await counts(), before);
  });

  it('keeps the limit under 50 parallel creations with different names', async () => {
    const player = await signUp(gateway.url);
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => create(player, { name: uniqueName('par') })),
    );
    const statuses = responses.map((r) => r.status);
    assert.equal(
      statuses.filter((s) => s === 201).length,
      MAX_CHARACTERS_PER_ACCOUNT,
      JSON.stringify(statuses),
    );
    assert.equal(statuses.filter((s) => s === 422).length, 50 - MAX_CHARACTERS_PER_ACCOUNT);
    assert.equal((await list(player)).length, MAX_CHARACTERS_PER_ACCOUNT);
    await assertNoOrphans();
  });

  it('replays the same 201 for a repeated Idempotency-Key and refuses it with another body', async () => {
    const player = await signUp(gateway.url);
    const key = `create-${randomUUID()}`;
    const body = { name: uniqueName('Idem') };
    const first = await create(player, body, { 'idempotency-key': key });
    assert.equal(first.status, 201);
    const firstBody = await first.json();
    const before = await counts();
    const again = await Promise.all([1, 2, 3].map(() => create(player, body, { 'idempotency-key': key })));
    for (const response of again) {
      assert.equal(response.status, 201);
      assert.deepEqual(await response.json(), firstBody);
    }
    const other = await create(player, { name: uniqueName('Other') }, { 'idempotency-key': key });
    assert.equal(other.status, 409);
    assert.equal(((await other.json()) as ErrorBody).error.code, 'IDEMPOTENCY_KEY_REUSED');
    assert.deepEqual(await counts(), before);
    // Keys are per principal: another player's identical key is a new request.
    const stranger = await create(
      await signUp(gateway.url),
      { name: uniqueName('Idem') },
      { 'idempotency-key': key },
    );
    assert.equal(stranger.status, 201);
  });

  it('answers 400 naming the field for every bad body and writes nothing', async () => {
    const player = await signUp(gateway.url);
    const cases: [string, unknown, string][] = [
      ['missing name', {}, 'name'],
      ['number', { name: 42 }, 'name'],
      ['null', { name: null }, 'name'],
      ['too short', { name: 'ab' }, 'name'],
      ['too long', { name: 'a'.repeat(33) }, 'name'],
      ['oversize', { name: 'a'.repeat(200_000) }, 'name'],
      ['bad characters', { name: 'bad name!' }, 'name'],
      ['unicode', { name: 'Hé_ros' }, 'name'],
      ['unknown field', { name: uniqueName(), accountId: randomUUID() }, 'accountId'],
      ['array body', [], '(body)'],
      ['malformed JSON', '{"name": "abc"', '(body)'],
    ];
    const before = await counts();
    for (const [what, body, field] of cases) {
      const response = await create(player, body);
      assert.equal(response.status, 400, what);
      const error = ((await response.json()) as ErrorBody).error;
      assert.equal(error.code, 'VALIDATION_FAILED', what);
      assert.ok(
        error.details?.fields?.some((f) => f.field === field),
        `${what}: ${JSON.stringify(error.details)}`,
      );
    }
    const badKey = await create(player, { name: uniqueName() }, { 'idempotency-key': 'has spaces in it' });
    assert.equal(badKey.status, 400);
    assert.deepEqual(await counts(), before);
    assert.deepEqual(await list(player), []);
  });

  it('opens the routes to players only (route × principal)', async () => {
    const server = await factories(pool).gameServer();
    const before = await counts();
    const callers: [string, Record<string, string>, number][] = [
      ['nobody', {}, 401],
      ['server', { 'x-server-key': server.apiKey }, 403],
      ['bad server key', { 'x-server-key': 'nope' }, 401],
      ['admin', { 'x-admin-key': ADMIN_KEY }, 403],
    ];
    for (const [who, headers, status] of callers) {
      const post = await fetch(`${gateway.url}/v1/characters`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ name: uniqueName() }),
      });
      assert.equal(post.status, status, `POST as ${who}`);
      const get = await fetch(`${gateway.url}/v1/characters`, { headers });
      assert.equal(get.status, status, `GET as ${who}`);
    }
    assert.deepEqual(await counts(), before);
  });

  it('refuses an unknown bearer token with 401', async () => {
    const headers = { authorization: `Bearer ${'x'.repeat(43)}` };
    assert.equal((await fetch(`${gateway.url}/v1/characters`, { headers })).status, 401);
  });

  it('authorizes again in the service for callers that use NATS directly', async () => {
    const before = await counts();
    const attempts: [unknown, Parameters<BusClient['request']>[2], string][] = [
      [{ name: uniqueName() }, {}, 'UNAUTHENTICATED'],
      [
        { name: uniqueName() },
        { principal: { kind: 'server', serverId: randomUUID(), region: 'eu-west' } },
        'FORBIDDEN',
      ],
      [{ name: uniqueName() }, { principal: { kind: 'admin' } }, 'FORBIDDEN'],
      [{ name: uniqueName() }, { principal: { kind: 'player', accountId: randomUUID() } }, 'NOT_FOUND'],
      [{ name: 'no' }, { principal: { kind: 'player', accountId: randomUUID() } }, 'VALIDATION_FAILED'],
    ];
    for (const [payload, opts, code] of attempts) {
      await assert.rejects(
        bus.request(AccountsSubjects.createCharacter, payload, opts),
        (e: AppError) => e.code === code,
        code,
      );
    }
    await assert.rejects(
      bus.request(AccountsSubjects.listCharacters, {}, { principal: { kind: 'admin' } }),
      (e: AppError) => e.code === 'FORBIDDEN',
    );
    const account = await factories(pool).account();
    const made = await bus.request<CharacterView>(
      AccountsSubjects.createCharacter,
      { name: uniqueName() },
      {
        principal: { kind: 'player', accountId: account.id },
      },
    );
    assert.equal(made.accountId, account.id);
    const after = await counts();
    assert.equal(after.players - before.players, 1);
  });
});
