import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { BusClient } from '@trustno1/bus';
import {
  TerritorySubjects,
  type AppError,
  type CaptureResultView,
  type TerritoryResourcesCreditView,
  type TerritoryView,
} from '@trustno1/contracts';
import {
  factories,
  registerServer,
  signUp,
  startCluster,
  TEST_ADMIN_KEY,
  type TestCluster,
  fetchJson,
  type ErrorBody,
} from '@trustno1/testing';

const ADMIN = { 'x-admin-key': TEST_ADMIN_KEY };

describe('territories through the gateway', () => {
  let cluster: TestCluster;
  let pool: Pool;
  let server: Record<string, string>;
  let serverId: string;
  let player: Record<string, string>;
  let bus: BusClient;

  beforeAll(async () => {
    cluster = await startCluster(['accounts', 'world', 'gateway']);
    pool = cluster.pool;
    ({ headers: server, id: serverId } = await registerServer(cluster.url, TEST_ADMIN_KEY));
    player = (await signUp(cluster.url)).headers;
    bus = new BusClient({ ...cluster.bus, serviceName: 'territories-test' });
  });
  afterAll(async () => {
    await bus?.close();
    await cluster?.stop();
  });

  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = server) =>
    fetchJson(cluster.url, method, path, body, headers);
  /** The character capturing for each faction: joined to the server, holding territory_capture. */
  const capturer = new Map<string, string>();
  const faction = async () => {
    const id = randomUUID();
    const tag = id.slice(0, 8);
    await pool.query(`INSERT INTO factions (id, name, tag) VALUES ($1, $2, $3)`, [id, `f-${id}`, tag]);
    const member = await factories(pool).joinedCharacter(serverId);
    await pool.query(
      `INSERT INTO faction_members (faction_id, player_id, rank, permissions) VALUES ($1, $2, 'member', '["territory_capture"]')`,
      [id, member.id],
    );
    await pool.query(`UPDATE players SET faction_id = $1 WHERE id = $2`, [id, member.id]);
    capturer.set(id, member.id);
    return id;
  };
  const by = (factionId: string) => capturer.get(factionId) ?? randomUUID();
  const territory = async (body: Record<string, unknown> = {}) => {
    const response = await call(
      'POST',
      '/v1/territories',
      { name: `Hill ${randomUUID().slice(0, 6)}`, centerX: 100, centerZ: -50, radius: 60, ...body },
      ADMIN,
    );
    assert.equal(response.status, 201);
    return (await response.json()) as TerritoryView;
  };
  const capture = async (id: string, factionId: string, points: number) => {
    const response = await call('POST', `/v1/territories/${id}/capture`, {
      factionId,
      playerId: by(factionId),
      points,
    });
    assert.equal(response.status, 200);
    return (await response.json()) as CaptureResultView;
  };
  const checksum = async () =>
    (
      await pool.query<{ sum: string }>(
        `SELECT md5(coalesce((SELECT string_agg(t::text, '|' ORDER BY t.id) FROM territories t), '') ||
                    (SELECT count(*) FROM outbox)::text) AS sum`,
      )
    ).rows[0].sum;
  const captures = async (territoryId: string) =>
    (
      await pool.query<{ payload: { factionId: string } }>(
        `SELECT payload FROM outbox WHERE subject = 'evt.world.territory.captured.v1'
            AND payload->>'territoryId' = $1`,
        [territoryId],
      )
    ).rows;

  it('lets operators define territories and game servers list them; nobody owns a new one', async () => {
    const t = await territory({
      maxCapturePoints: 40,
      buildingAllowed: false,
      resourcesGenerated: { wood: 50 },
    });
    assert.deepEqual(
      [t.ownerFactionId, t.capturePoints, t.maxCapturePoints, t.buildingAllowed, t.underAttack],
      [null, 0, 40, false, false],
    );
    assert.deepEqual(t.resourcesGenerated, { wood: 50 });
    const list = (await (await call('GET', '/v1/territories')).json()) as TerritoryView[];
    assert.deepEqual(
      list.find((x) => x.id === t.id),
      t,
    );
    assert.equal((await call('GET', '/v1/territories', undefined, ADMIN)).status, 200);
  });

  it('accrues an attacker’s progress, lets the owner defend, and changes the owner at the maximum', async () => {
    const [a, b] = [await faction(), await faction()];
    const t = await territory({ maxCapturePoints: 100 });
    let r = await capture(t.id, a, 60);
    assert.deepEqual(
      [r.capturePoints, r.capturingFactionId, r.underAttack, r.captured],
      [60, a, true, false],
    );
    assert.ok(r.lastAttacked);
    // A rival's points first undo the other attacker's progress, the rest becomes its own.
    r = await capture(t.id, b, 70);
    assert.deepEqual([r.capturePoints, r.capturingFactionId], [10, b]);
    r = await capture(t.id, b, 500);
    assert.deepEqual(
      [
        r.ownerFactionId,
        r.captured,
        r.capturePoints,
        r.capturingFactionId,
        r.underAttack,
        r.previousOwnerFactionId,
      ],
      [b, true, 0, null, false, null],
      'points never exceed the maximum; they reset when the owner changes',
    );
    assert.ok(r.capturedAt);
    // The owner's points defend: they undo attackers' progress and never add beyond 0.
    r = await capture(t.id, a, 30);
    assert.deepEqual([r.capturePoints, r.capturingFactionId, r.underAttack], [30, a, true]);
    r = await capture(t.id, b, 10);
    assert.deepEqual(
      [r.ownerFactionId, r.capturePoints, r.capturingFactionId, r.underAttack],
      [b, 20, a, true],
    );
    r = await capture(t.id, b, 50);
    assert.deepEqual(
      [r.ownerFactionId, r.capturePoints, r.capturingFactionId, r.underAttack],
      [b, 0, null, false],
    );
    r = await capture(t.id, b, 50);
    assert.deepEqual(
      [r.capturePoints, r.captured],
      [0, false],
      'defending an untouched territory does nothing',
    );
    assert.deepEqual(
      (await captures(t.id)).map((e) => e.payload.factionId),
      [b],
    );
  });

  it('counts a capture retried with the same Idempotency-Key once', async () => {
    const f = await faction();
    const t = await territory({ maxCapturePoints: 100 });
    const headers = { ...server, 'idempotency-key': randomUUID() };
    const body = { factionId: f, playerId: by(f), points: 7 };
    const responses = await Promise.all(
      [1, 2, 3].map(() => call('POST', `/v1/territories/${t.id}/capture`, body, headers)),
    );
    assert.deepEqual(
      responses.map((r) => r.status),
      [200, 200, 200],
    );
    const views = (await Promise.all(responses.map((r) => r.json()))) as CaptureResultView[];
    for (const v of views) assert.equal(v.capturePoints, 7);
    const other = await call('POST', `/v1/territories/${t.id}/capture`, { ...body, points: 8 }, headers);
    assert.equal(other.status, 409);
    const { rows } = await pool.query(`SELECT capture_points FROM territories WHERE id = $1`, [t.id]);
    assert.equal(rows[0].capture_points, 7);
  });

  it('gives one owner when two factions race: points within the maximum at every read, one change', async () => {
    const [strong, weak] = [await faction(), await faction()];
    const t = await territory({ maxCapturePoints: 100 });
    let racing = true;
    const reads: number[] = [];
    const watcher = (async () => {
      while (racing) {
        const { rows } = await pool.query<{ capture_points: number; max_capture_points: number }>(
          `SELECT capture_points, max_capture_points FROM territories WHERE id = $1`,
          [t.id],
        );
        reads.push(rows[0].capture_points);
        assert.ok(rows[0].capture_points <= rows[0].max_capture_points);
      }
    })();
    // 250 points against 50: the strong faction nets at least 250 - 50 - 50 >= 100 before it owns
    // the territory; the weak one can never reach 100, and an owner's points only defend.
    const calls = [
      ...Array.from({ length: 50 }, () => [strong, 5] as const),
      ...Array.from({ length: 10 }, () => [weak, 5] as const),
    ].sort(() => Math.random() - 0.5);
    const results = await Promise.all(calls.map(([f, p]) => capture(t.id, f, p)));
    racing = false;
    await watcher;
    assert.ok(reads.length > 0);
    for (const r of results) assert.ok(r.capturePoints >= 0 && r.capturePoints <= 100);
    assert.equal(results.filter((r) => r.captured).length, 1);
    const after = (await (await call('GET', '/v1/territories')).json()) as TerritoryView[];
    assert.equal(after.find((x) => x.id === t.id)?.ownerFactionId, strong);
    assert.deepEqual(
      (await captures(t.id)).map((e) => e.payload.factionId),
      [strong],
    );
  });

  for (const [label, body, field] of [
    ['points as a string', { points: '5' }, 'points'],
    ['zero points', { points: 0 }, 'points'],
    ['fractional points', { points: 1.5 }, 'points'],
    ['too many points', { points: 10_001 }, 'points'],
    ['a factionId that is no UUID', { factionId: 'red' }, 'factionId'],
    ['no playerId', { playerId: undefined }, 'playerId'],
    ['an unknown field', { bonus: 1 }, 'bonus'],
  ] as [string, Record<string, unknown>, string][]) {
    it(`refuses a capture with ${label}: 400 naming ${field}, nothing changed`, async () => {
      const t = await territory();
      const f = await faction();
      const before = await checksum();
      const response = await call('POST', `/v1/territories/${t.id}/capture`, {
        factionId: f,
        playerId: by(f),
        points: 5,
        ...body,
      });
      assert.equal(response.status, 400);
      const error = (await response.json()) as ErrorBody;
      assert.equal(error.error.code, 'VALIDATION_FAILED');
      assert.deepEqual(
        error.error.details?.fields?.map((x) => x.field),
        [field],
      );
      assert.equal(await checksum(), before);
    });
  }

  for (const [label, body, field] of [
    ['no name', { name: undefined }, 'name'],
    ['a negative radius', { radius: -1 }, 'radius'],
    ['a center off the map', { centerX: 1e12 }, 'centerX'],
    ['maxCapturePoints of 0', { maxCapturePoints: 0 }, 'maxCapturePoints'],
    ['buildingAllowed as a string', { buildingAllowed: 'no' }, 'buildingAllowed'],
    ['a negative resource amount', { resourcesGenerated: { wood: -5 } }, 'resourcesGenerated.wood'],
  ] as [string, Record<string, unknown>, string][]) {
    it(`refuses a territory with ${label}: 400 naming ${field}, nothing written`, async () => {
      const before = await checksum();
      const response = await call(
        'POST',
        '/v1/territories',
        { name: 'Bad', centerX: 0, centerZ: 0, radius: 10, ...body },
        ADMIN,
      );
      assert.equal(response.status, 400);
      const error = (await response.json()) as ErrorBody;
      assert.deepEqual(
        error.error.details?.fields?.map((x) => x.field),
        [field],
      );
      assert.equal(await checksum(), before);
    });
  }

  it('answers 404 for an unknown territory or faction, and changes nothing', async () => {
    const t = await territory();
    const f = await faction();
    const before = await checksum();
    for (const [id, factionId, key] of [
      [randomUUID(), f, 'territoryId'],
      [t.id, randomUUID(), 'factionId'],
    ]) {
      const response = await call('POST', `/v1/territories/${id}/capture`, {
        factionId,
        playerId: by(f),
        points: 5,
      });
      assert.equal(response.status, 404);
      const error = (await response.json()) as { error: { code: string; details: Record<string, string> } };
      assert.equal(error.error.code, 'NOT_FOUND');
      assert.ok(key in error.error.details, key);
    }
    assert.equal(await checksum(), before);
  });

  it('counts a capture only for a member with territory_capture joined to the calling server', async () => {
    const t = await territory();
    const f = await faction();
    const outsider = await factories(pool).joinedCharacter(serverId);
    const without = await factories(pool).joinedCharacter(serverId);
    await pool.query(
      `INSERT INTO faction_members (faction_id, player_id, rank, permissions) VALUES ($1, $2, 'recruit', '["build"]')`,
      [f, without.id],
    );
    await pool.query(`UPDATE players SET faction_id = $1 WHERE id = $2`, [f, without.id]);
    const elsewhere = await registerServer(cluster.url, TEST_ADMIN_KEY);
    const before = await checksum();
    for (const [playerId, headers, reason] of [
      [outsider.id, server, 'NO_TERRITORY_CAPTURE'],
      [without.id, server, 'NO_TERRITORY_CAPTURE'],
      [by(f), elsewhere.headers, 'NOT_JOINED_TO_THIS_SERVER'],
    ] as const) {
      const response = await call(
        'POST',
        `/v1/territories/${t.id}/capture`,
        { factionId: f, playerId, points: 5 },
        headers,
      );
      const error = (await response.json()) as { error: { code: string; details: { reason: string } } };
      assert.deepEqual(
        [response.status, error.error.code, error.error.details.reason],
        [403, 'FORBIDDEN', reason],
      );
    }
    assert.equal(await checksum(), before);
    assert.equal((await capture(t.id, f, 5)).capturePoints, 5);
  });

  it('keeps territory definitions to operators and captures to game servers', async () => {
    const t = await territory();
    const f = await faction();
    const before = await checksum();
    const body = { name: 'Mine', centerX: 0, centerZ: 0, radius: 10 };
    assert.equal((await call('POST', '/v1/territories', body, server)).status, 403);
    assert.equal((await call('POST', '/v1/territories', body, player)).status, 403);
    assert.equal((await call('POST', '/v1/territories', body, {})).status, 401);
    assert.equal((await call('GET', '/v1/territories', undefined, player)).status, 403);
    const capture = { factionId: f, playerId: by(f), points: 5 };
    assert.equal((await call('POST', `/v1/territories/${t.id}/capture`, capture, player)).status, 403);
    assert.equal((await call('POST', `/v1/territories/${t.id}/capture`, capture, {})).status, 401);
    assert.equal(await checksum(), before);
  });

  it('credits each owned territory’s resources once per hour, however often the tick runs', async () => {
    const owner = await faction();
    const owned = await territory({ resourcesGenerated: { stone: 30, wood: 10 }, maxCapturePoints: 1 });
    const unowned = await territory({ resourcesGenerated: { stone: 99 } });
    await capture(owned.id, owner, 1);
    const asAdmin = { principal: { kind: 'admin' as const } };
    const tick = '2026-03-01T10:00:07.000Z';
    const runs = await Promise.all(
      [tick, tick, '2026-03-01T10:59:59.000Z'].map((now) =>
        bus.request<TerritoryResourcesCreditView>(TerritorySubjects.creditResources, { now }, asAdmin),
      ),
    );
    assert.deepEqual(
      runs.map((r) => r.hour),
      Array(3).fill('2026-03-01T09:00:00.000Z'),
    );
    // Only `owned` is owned and generates anything, and its hour is credited by exactly one run.
    assert.equal(
      runs.reduce((sum, r) => sum + r.credited, 0),
      1,
    );
    const rows = await pool.query<{
      territory_id: string;
      faction_id: string;
      hour: Date;
      resources: unknown;
    }>(
      `SELECT territory_id, faction_id, hour, resources FROM territory_resource_ledger WHERE territory_id = ANY($1)`,
      [[owned.id, unowned.id]],
    );
    assert.equal(rows.rowCount, 1);
    assert.deepEqual(rows.rows[0], {
      territory_id: owned.id,
      faction_id: owner,
      hour: new Date('2026-03-01T09:00:00.000Z'),
      resources: { stone: 30, wood: 10 },
    });
    await bus.request(TerritorySubjects.creditResources, { now: '2026-03-01T11:00:00.000Z' }, asAdmin);
    const next = await pool.query(`SELECT 1 FROM territory_resource_ledger WHERE territory_id = $1`, [
      owned.id,
    ]);
    assert.equal(next.rowCount, 2, 'the next hour is credited');
    await assert.rejects(
      bus.request(
        TerritorySubjects.creditResources,
        { now: tick },
        { principal: { kind: 'player', accountId: randomUUID() } },
      ),
      (error: AppError) => error.code === 'FORBIDDEN',
    );
  });
});
