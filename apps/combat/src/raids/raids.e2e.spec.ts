// Raids end to end: a game server's explosive damage through the gateway, world's event through
// the worker's outbox relay and JetStream to combat's consumer, the raid log read back through
// GET /v1/raids by a server, an admin and the players of the factions involved, and the close
// the raids.close-idle schedule asks for (sent here with a tick ten minutes ahead).
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { BusClient } from '@trustno1/bus';
import { RaidOps, type DamageView, type RaidView, type StructureView } from '@trustno1/contracts';
import {
  call as callGateway,
  codeOf,
  factories,
  fieldsOf,
  registerServer,
  signUp,
  startCluster,
  TEST_ADMIN_KEY,
  type SignedUpPlayer,
  type TestCluster,
} from '@trustno1/testing';

const ROTATION = { x: 0, y: 0, z: 0, w: 1 };
const ADMIN = { 'x-admin-key': TEST_ADMIN_KEY };

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('raids through the gateway', () => {
  let cluster: TestCluster;
  let pool: Pool;
  let server: { id: string; headers: Record<string, string> };
  let defender: SignedUpPlayer;
  let stranger: SignedUpPlayer;
  let bus: BusClient;
  let defenders: string;
  let raiders: string;
  let ownerId: string;
  let raiderId: string;
  let wall: StructureView;
  let cupboard: StructureView;
  let raid: RaidView;

  const call = <T = unknown>(method: string, path: string, headers: Record<string, string>, body?: unknown) =>
    callGateway<T>(cluster.url, method, path, { headers, body });
  const faction = async () => {
    const id = randomUUID();
    await pool.query('INSERT INTO factions.factions (id, name, tag) VALUES ($1, $2, $3)', [
      id,
      `f_${id.slice(0, 8)}`,
      id.slice(0, 6),
    ]);
    return id;
  };
  /** Every row a raid route could write, hashed. */
  const checksum = async () =>
    (
      await pool.query<{ sum: string }>(
        `SELECT concat_ws(':',
           (SELECT md5(COALESCE(string_agg(t::text, '|' ORDER BY t.id), '')) FROM combat.raid_logs t),
           (SELECT count(*) FROM platform.processed_events), (SELECT count(*) FROM platform.outbox),
           (SELECT count(*) FROM platform.idempotency_keys)) AS sum`,
      )
    ).rows[0].sum;

  beforeAll(async () => {
    // The worker relays the outbox; it serves no schedule here, so no tick runs at real time.
    cluster = await startCluster(['accounts', 'world', 'combat', 'worker', 'gateway'], {
      WORKER_QUEUES: 'event_spawn',
    });
    pool = cluster.pool;
    bus = new BusClient({ ...cluster.bus, serviceName: 'raids-test' });
    server = await registerServer(cluster.url, TEST_ADMIN_KEY);
    [defender, stranger] = await Promise.all([signUp(cluster.url), signUp(cluster.url)]);
    [defenders, raiders] = await Promise.all([faction(), faction()]);
    const f = factories(pool);
    // The defender's character owns the base; it logged off an hour ago.
    ownerId = (await f.character({ accountId: defender.accountId })).id;
    await pool.query(
      `UPDATE accounts.players SET server_id = $2, faction_id = $3, is_online = false,
              last_seen = now() - interval '1 hour' WHERE id = $1`,
      [ownerId, server.id, defenders],
    );
    raiderId = (await f.character()).id;
    await pool.query('UPDATE accounts.players SET faction_id = $2, is_online = true WHERE id = $1', [
      raiderId,
      raiders,
    ]);
    const place = async (structureType: string, x: number) => {
      const reply = await call<StructureView>('POST', '/v1/structures', server.headers, {
        ownerId,
        structureType,
        position: { x, y: 0, z: 4096 },
        rotation: ROTATION,
        buildData: {},
        factionId: defenders,
      });
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
      return reply.body;
    };
    cupboard = await place('tool_cupboard', 0);
    wall = await place('wall_stone', 5);
  });
  afterAll(async () => {
    await bus?.close();
    await cluster?.stop();
  });

  it('scales explosive damage to the offline base, says so, and opens a raid through the event', async () => {
    const hit = await call<DamageView>('POST', `/v1/structures/${wall.id}/damage`, server.headers, {
      amount: 100,
      attackerId: raiderId,
      explosive: true,
      explosiveType: 'c4',
    });
    assert.equal(hit.status, 200, JSON.stringify(hit.body));
    assert.deepEqual([hit.body.damageApplied, hit.body.offlineProtected], [25, true]);
    const listed = await eventually(
      async () => (await call<RaidView[]>('GET', `/v1/raids?structureId=${wall.id}`, server.headers)).body,
      (body) => Array.isArray(body) && body.length === 1,
      'the raid',
    );
    raid = listed[0];
    assert.deepEqual(
      [raid.structureId, raid.cupboardId, raid.raiderFactionId, raid.defenderFactionId, raid.active],
      [wall.id, cupboard.id, raiders, defenders, true],
    );
    assert.deepEqual([raid.damageDealt, raid.explosivesUsed, raid.offlineProtected], [25, { c4: 1 }, true]);
    assert.deepEqual(raid.participants, { raiders: [raiderId], defenders: [ownerId] });
  });

  it('lists by faction and activity for servers and admins, and for the players of the factions involved', async () => {
    for (const headers of [server.headers, ADMIN, defender.headers]) {
      const byFaction = await call<RaidView[]>(
        'GET',
        `/v1/raids?factionId=${defenders}&active=true`,
        headers,
      );
      assert.equal(byFaction.status, 200, JSON.stringify(byFaction.body));
      assert.deepEqual(
        byFaction.body.map((r) => r.id),
        [raid.id],
      );
      const one = await call<RaidView>('GET', `/v1/raids/${raid.id}`, headers);
      assert.deepEqual([one.status, one.body.id], [200, raid.id]);
    }
    const closedOnly = await call<RaidView[]>('GET', `/v1/raids?factionId=${raiders}&active=false`, ADMIN);
    assert.deepEqual(closedOnly.body, []);
  });

  it('hides a raid from a player of neither faction: an empty list, FORBIDDEN for the faction, NOT_FOUND for the raid', async () => {
    const before = await checksum();
    const list = await call<RaidView[]>('GET', '/v1/raids', stranger.headers);
    assert.deepEqual([list.status, list.body], [200, []]);
    const byFaction = await call('GET', `/v1/raids?factionId=${defenders}`, stranger.headers);
    assert.deepEqual([byFaction.status, codeOf(byFaction)], [403, 'FORBIDDEN']);
    const one = await call('GET', `/v1/raids/${raid.id}`, stranger.headers);
    assert.deepEqual([one.status, codeOf(one)], [404, 'NOT_FOUND']);
    const unknown = await call('GET', `/v1/raids/${randomUUID()}`, ADMIN);
    assert.deepEqual([unknown.status, codeOf(unknown)], [404, 'NOT_FOUND']);
    const nobody = await call('GET', '/v1/raids', {});
    assert.deepEqual([nobody.status, codeOf(nobody)], [401, 'UNAUTHENTICATED']);
    assert.equal(await checksum(), before);
  });

  it('closes the raid idle at the schedule tick, unsuccessful without loot or the cupboard', async () => {
    const early = await bus.call(
      RaidOps.closeIdleRaids,
      { now: new Date(Date.now() + 5 * 60_000).toISOString() },
      { principal: { kind: 'admin' } },
    );
    assert.equal(early.raids.includes(raid.id), false);
    const tick = new Date(Date.now() + 11 * 60_000).toISOString();
    const closed = await bus.call(RaidOps.closeIdleRaids, { now: tick }, { principal: { kind: 'admin' } });
    assert.ok(closed.raids.includes(raid.id));
    const one = await call<RaidView>('GET', `/v1/raids/${raid.id}`, server.headers);
    assert.deepEqual(
      [
        one.body.active,
        one.body.successful,
        one.body.lootTaken,
        one.body.endedAt && Date.parse(one.body.endedAt),
      ],
      [false, false, [], Date.parse(tick)],
    );
    const ended = await call<RaidView[]>(
      'GET',
      `/v1/raids?structureId=${cupboard.id}&active=false`,
      server.headers,
    );
    assert.deepEqual(
      ended.body.map((r) => r.id),
      [raid.id],
    );
    // Only the worker's admin principal closes raids.
    await assert.rejects(
      bus.call(
        RaidOps.closeIdleRaids,
        { now: tick },
        { principal: { kind: 'server', serverId: server.id, region: 'eu-west' } },
      ),
      (e: { code?: string }) => e.code === 'FORBIDDEN',
    );
  });

  describe('bad input', () => {
    const cases: [string, () => string, string[]][] = [
      ['a factionId that is not a UUID', () => '/v1/raids?factionId=abc', ['factionId']],
      ['a structureId that is a number', () => '/v1/raids?structureId=12', ['structureId']],
      ['active that is not true or false', () => '/v1/raids?active=yes', ['active']],
      ['active given as 1', () => '/v1/raids?active=1', ['active']],
      ['a limit of 0', () => '/v1/raids?limit=0', ['limit']],
      ['a limit of 101', () => '/v1/raids?limit=101', ['limit']],
      ['a limit of 2^53', () => '/v1/raids?limit=9007199254740992', ['limit']],
      ['a negative limit', () => '/v1/raids?limit=-1', ['limit']],
      ['a fractional limit', () => '/v1/raids?limit=1.5', ['limit']],
      ['an unknown query field', () => '/v1/raids?verbose=1', ['verbose']],
      ['a raid id that is not a UUID', () => '/v1/raids/not-a-uuid', ['id']],
      ['an unknown query field on a raid', () => `/v1/raids/${randomUUID()}?x=1`, ['x']],
    ];
    for (const [label, path, fields] of cases) {
      it(`refuses ${label} with 400 VALIDATION_FAILED naming it, and changes nothing`, async () => {
        const before = await checksum();
        for (const headers of [server.headers, ADMIN, defender.headers]) {
          const reply = await call('GET', path(), headers);
          assert.deepEqual(
            [reply.status, codeOf(reply)],
            [400, 'VALIDATION_FAILED'],
            JSON.stringify(reply.body),
          );
          assert.deepEqual(fieldsOf(reply), fields);
        }
        assert.equal(await checksum(), before);
      });
    }

    it('refuses an explosiveType without explosive, and a bad one, changing nothing', async () => {
      const before = await checksum();
      for (const [body, field] of [
        [{ amount: 1, explosiveType: 'c4' }, 'explosiveType'],
        [{ amount: 1, explosive: true, explosiveType: 'C4!' }, 'explosiveType'],
      ] as const) {
        const reply = await call('POST', `/v1/structures/${wall.id}/damage`, server.headers, body);
        assert.deepEqual([reply.status, codeOf(reply), fieldsOf(reply)], [400, 'VALIDATION_FAILED', [field]]);
      }
      assert.equal(await checksum(), before);
      const { rows } = await pool.query<{ health: number }>(
        'SELECT health FROM world.structures WHERE id = $1',
        [wall.id],
      );
      assert.equal(rows[0].health, wall.maxHealth - 25);
    });
  });
});
