/**
 * POST /v1/combat/hits end to end, as a game server calls it through the gateway (issue 12): the
 * kill flow (one corpse holding every item, ledger, stats, the kill event once), a hit id replayed
 * 20 times in parallel, 50 attackers racing for the killing blow, implausible hits, access, the
 * bad-input matrix with the database checksummed unchanged, the combat state and the combat logs.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import type { ApplyHitsView, CombatLogsView, CombatStateView, Hit, RespawnView } from '@trustno1/contracts';
import { createPrismaClient } from '@trustno1/db';
import { syncCatalog } from '@trustno1/inventory-domain';
import {
  call,
  codeOf,
  detailsOf,
  factories,
  fieldsOf,
  registerServer,
  signUp,
  startCluster,
  TEST_ADMIN_KEY,
  type TestCluster,
} from '@trustno1/testing';

type Headers = Record<string, string>;
const ADMIN = { 'x-admin-key': TEST_ADMIN_KEY };

describe('POST /v1/combat/hits through the gateway', () => {
  let cluster: TestCluster;
  let server: { id: string; headers: Headers };
  let other: { id: string; headers: Headers };

  /** A character joined to `serverId` (written as a join writes it), with `items` in its inventory. */
  const fighter = (serverId: string, items: [string, number][] = [], accountId?: string) =>
    factories(cluster.pool).joinedCharacter(serverId, items, accountId ? { accountId } : {});

  const hit = (over: Partial<Hit> & { victimId: string }): Hit => ({
    hitId: randomUUID(),
    damage: 10,
    hitLocation: 'thorax',
    ...over,
  });
  const send = (hits: unknown[], headers: Headers = server.headers) =>
    call<ApplyHitsView>(cluster.url, 'POST', '/v1/combat/hits', { headers, body: { hits } });

  /** Everything a hit can change, hashed: a refused request must leave it as it was. */
  async function checksum(): Promise<string> {
    const { rows } = await cluster.pool.query<{ sum: string }>(
      `SELECT md5(concat_ws('|',
          (SELECT string_agg(concat_ws(',', id, health::text, died_at), ';' ORDER BY id) FROM players),
          (SELECT string_agg(t::text, ';' ORDER BY t.player_id) FROM player_stats t),
          (SELECT string_agg(t::text, ';' ORDER BY t.id) FROM combat_logs t),
          (SELECT string_agg(t::text, ';' ORDER BY t.hit_id) FROM seen_hits t),
          (SELECT string_agg(concat_ws(',', t.id, t.subject, t.payload::text), ';' ORDER BY t.id) FROM outbox t
            WHERE t.subject LIKE 'evt.combat.%'),
          (SELECT string_agg(t::text, ';' ORDER BY t.id) FROM inventory_items t),
          (SELECT string_agg(t::text, ';' ORDER BY t.id) FROM item_ledger t),
          (SELECT string_agg(t::text, ';' ORDER BY t.inventory_id) FROM corpses t))) AS sum`,
    );
    return rows[0].sum;
  }

  const stats = async (id: string) =>
    (
      await cluster.pool.query(
        `SELECT shots_hit, damage_dealt, damage_received, kills_players, deaths FROM player_stats WHERE player_id = $1`,
        [id],
      )
    ).rows[0];

  beforeAll(async () => {
    cluster = await startCluster(['accounts', 'combat', 'gateway'], { COMBAT_MAX_DAMAGE: '1000' });
    const prisma = createPrismaClient(cluster.pool);
    await syncCatalog(prisma);
    [server, other] = await Promise.all([
      registerServer(cluster.url, TEST_ADMIN_KEY),
      registerServer(cluster.url, TEST_ADMIN_KEY),
    ]);
  });
  afterAll(() => cluster?.stop());

  it('a killing blow makes exactly one corpse holding every item, with ledger, stats and one kill event', async () => {
    const attacker = await fighter(server.id);
    const victim = await fighter(server.id, [
      ['rifle_ak', 1],
      ['ammo_762', 40],
      ['pistol_9mm', 1],
    ]);
    const { rows: before } = await cluster.pool.query<{ id: string; quantity: number }>(
      `SELECT id, quantity FROM inventory_items WHERE inventory_id = $1 ORDER BY id`,
      [victim.inventoryId],
    );
    assert.equal(before.length, 3);

    const first = await send([
      hit({
        attackerId: attacker.id,
        victimId: victim.id,
        weaponId: 'rifle_ak',
        damage: 60,
        hitLocation: 'head',
        headshot: true,
        distance: 50,
      }),
    ]);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual(
      [first.body.results[0].applied, first.body.results[0].killed, first.body.results[0].health.head],
      [true, false, 40],
    );
    const killingHitId = randomUUID();
    const second = await send([
      hit({
        hitId: killingHitId,
        attackerId: attacker.id,
        victimId: victim.id,
        weaponId: 'rifle_ak',
        damage: 60,
        hitLocation: 'head',
        headshot: true,
        positionVictim: { x: 300, y: 5, z: -40 },
      }),
      hit({ attackerId: attacker.id, victimId: victim.id, damage: 5 }),
    ]);
    assert.equal(second.status, 200, JSON.stringify(second.body));
    const [kill, after] = second.body.results;
    assert.equal(kill.killed, true);
    assert.equal(kill.health.head, 0);
    assert.ok(kill.corpseInventoryId);
    assert.deepEqual([after.applied, after.reason], [false, 'ALREADY_DEAD']);

    const corpses = await cluster.pool.query<{ inventory_id: string; position: unknown }>(
      `SELECT inventory_id, position FROM corpses WHERE player_id = $1`,
      [victim.id],
    );
    assert.deepEqual(corpses.rows, [
      { inventory_id: kill.corpseInventoryId, position: { x: 300, y: 5, z: -40 } },
    ]);
    const { rows: moved } = await cluster.pool.query<{ id: string; quantity: number }>(
      `SELECT id, quantity FROM inventory_items WHERE inventory_id = $1 ORDER BY id`,
      [kill.corpseInventoryId],
    );
    assert.deepEqual(moved, before);
    const ledger = await cluster.pool.query(
      `SELECT item_id FROM item_ledger WHERE to_inventory_id = $1 AND operation = 'move' AND reason = 'death'
         AND reference = $2 ORDER BY item_id`,
      [kill.corpseInventoryId, `hit:${killingHitId}`],
    );
    assert.deepEqual(
      ledger.rows.map((r: { item_id: string }) => r.item_id),
      before.map((r) => r.id),
    );
    assert.deepEqual(await stats(attacker.id), {
      shots_hit: 2,
      damage_dealt: 120,
      damage_received: 0,
      kills_players: 1,
      deaths: 0,
    });
    assert.deepEqual(await stats(victim.id), {
      shots_hit: 0,
      damage_dealt: 0,
      damage_received: 120,
      kills_players: 0,
      deaths: 1,
    });
    const events = await cluster.pool.query(
      `SELECT payload FROM outbox WHERE subject = 'evt.combat.player.killed.v1' AND payload->>'playerId' = $1`,
      [victim.id],
    );
    assert.equal(events.rows.length, 1);
    assert.equal(events.rows[0].payload.corpseInventoryId, kill.corpseInventoryId);
    assert.equal(events.rows[0].payload.killerId, attacker.id);
    const logs = await cluster.pool.query(
      `SELECT killing_blow FROM combat_logs WHERE victim_id = $1 ORDER BY created_at, killing_blow`,
      [victim.id],
    );
    assert.deepEqual(
      logs.rows.map((r: { killing_blow: boolean }) => r.killing_blow),
      [false, true],
    );
    // The kill is in the anti combat-log record of both.
    const state = await call<CombatStateView>(cluster.url, 'GET', `/v1/players/${victim.id}/combat`, {
      headers: server.headers,
    });
    assert.equal(state.status, 200, JSON.stringify(state.body));
    assert.equal(state.body.inCombat, true);
    assert.deepEqual(
      state.body.recent.map((r) => r.opponentId),
      [attacker.id],
    );
    const score = await cluster.redis.zscore(`combat:recent:{${attacker.id}}`, victim.id);
    assert.ok(score !== null && Date.now() - Number(score) < 60_000);
    assert.ok((await cluster.redis.ttl(`combat:recent:{${attacker.id}}`)) > 3500);
  });

  it('the same hitId sent 20 times in parallel applies once', async () => {
    const attacker = await fighter(server.id);
    const victim = await fighter(server.id);
    const one = hit({ attackerId: attacker.id, victimId: victim.id, damage: 7, hitLocation: 'left_arm' });
    const replies = await Promise.all(Array.from({ length: 20 }, () => send([one])));
    for (const r of replies) assert.equal(r.status, 200, JSON.stringify(r.body));
    const applied = replies.filter((r) => r.body.results[0].applied);
    assert.equal(applied.length, 1);
    for (const r of replies.filter((x) => !x.body.results[0].applied))
      assert.equal(r.body.results[0].reason, 'DUPLICATE');
    const { rows } = await cluster.pool.query(`SELECT health FROM players WHERE id = $1`, [victim.id]);
    assert.equal(rows[0].health.left_arm, 93);
    assert.equal((await stats(attacker.id)).shots_hit, 1);
    const logs = await cluster.pool.query(`SELECT 1 FROM combat_logs WHERE id = $1`, [one.hitId]);
    assert.equal(logs.rows.length, 1);
  });

  it('50 attackers racing for the killing blow: one death, one corpse, one deaths increment, items kept', async () => {
    const victim = await fighter(server.id, [
      ['rifle_bolt', 1],
      ['ammo_762', 64],
      ['ammo_9mm', 100],
    ]);
    const attackers = await Promise.all(Array.from({ length: 50 }, () => fighter(server.id)));
    const itemsBefore = await cluster.pool.query(
      `SELECT id, item_template_id, quantity FROM inventory_items WHERE inventory_id = $1 ORDER BY id`,
      [victim.inventoryId],
    );
    const replies = await Promise.all(
      attackers.map((a) =>
        send([hit({ attackerId: a.id, victimId: victim.id, damage: 150, hitLocation: 'head' })]),
      ),
    );
    for (const r of replies) assert.equal(r.status, 200, JSON.stringify(r.body));
    const results = replies.map((r) => r.body.results[0]);
    assert.equal(results.filter((r) => r.killed).length, 1);
    assert.equal(results.filter((r) => r.reason === 'ALREADY_DEAD').length, 49);
    const corpses = await cluster.pool.query(`SELECT inventory_id FROM corpses WHERE player_id = $1`, [
      victim.id,
    ]);
    assert.equal(corpses.rows.length, 1);
    assert.equal((await stats(victim.id)).deaths, 1);
    const killers = await cluster.pool.query(
      `SELECT count(*)::int AS n FROM player_stats WHERE player_id = ANY($1::uuid[]) AND kills_players = 1`,
      [attackers.map((a) => a.id)],
    );
    assert.equal(killers.rows[0].n, 1);
    const itemsAfter = await cluster.pool.query(
      `SELECT id, item_template_id, quantity FROM inventory_items WHERE inventory_id = $1 ORDER BY id`,
      [corpses.rows[0].inventory_id],
    );
    assert.deepEqual(itemsAfter.rows, itemsBefore.rows);
    const events = await cluster.pool.query(
      `SELECT 1 FROM outbox WHERE subject = 'evt.combat.player.killed.v1' AND payload->>'playerId' = $1`,
      [victim.id],
    );
    assert.equal(events.rows.length, 1);
  });

  it('refuses a hit the weapon cannot deal (IMPLAUSIBLE_HIT) and writes it to the outbox as a suspect', async () => {
    const attacker = await fighter(server.id);
    const victim = await fighter(server.id);
    const tooHard = hit({
      attackerId: attacker.id,
      victimId: victim.id,
      weaponId: 'pistol_9mm',
      damage: 200,
    });
    const tooFar = hit({
      attackerId: attacker.id,
      victimId: victim.id,
      weaponId: 'rifle_ak',
      damage: 20,
      distance: 5000,
    });
    const fine = hit({
      attackerId: attacker.id,
      victimId: victim.id,
      weaponId: 'pistol_9mm',
      damage: 30,
      distance: 20,
    });
    const reply = await send([tooHard, tooFar, fine]);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.deepEqual(
      reply.body.results.map((r) => [r.applied, r.reason ?? null]),
      [
        [false, 'IMPLAUSIBLE_HIT'],
        [false, 'IMPLAUSIBLE_HIT'],
        [true, null],
      ],
    );
    assert.equal(reply.body.results[2].health.thorax, 70);
    const suspects = await cluster.pool.query(
      `SELECT payload->>'hitId' AS id FROM outbox WHERE subject = 'evt.combat.hit.suspect.v1' AND payload->>'victimId' = $1
        ORDER BY 1`,
      [victim.id],
    );
    assert.deepEqual(
      suspects.rows.map((r: { id: string }) => r.id),
      [tooHard.hitId, tooFar.hitId].sort(),
    );
  });

  it('refuses characters not joined to the calling server (403) and unknown ones (404), changing nothing', async () => {
    const attacker = await fighter(server.id);
    const elsewhere = await fighter(other.id);
    const player = await signUp(cluster.url);
    const before = await checksum();
    const forbidden = await send([
      hit({ attackerId: attacker.id, victimId: attacker.id, damage: 1 }),
      hit({ attackerId: attacker.id, victimId: elsewhere.id }),
    ]);
    assert.deepEqual([forbidden.status, codeOf(forbidden)], [403, 'FORBIDDEN']);
    const unknown = await send([hit({ attackerId: attacker.id, victimId: randomUUID() })]);
    assert.deepEqual([unknown.status, codeOf(unknown)], [404, 'NOT_FOUND']);
    const unknownAttacker = await send([hit({ attackerId: randomUUID(), victimId: attacker.id })]);
    assert.deepEqual([unknownAttacker.status, codeOf(unknownAttacker)], [404, 'NOT_FOUND']);
    const asPlayer = await send([hit({ victimId: attacker.id })], player.headers);
    assert.deepEqual([asPlayer.status, codeOf(asPlayer)], [403, 'FORBIDDEN']);
    assert.equal(await checksum(), before);
  });

  it('answers bad input with 400 naming the field and changes nothing', async () => {
    const a = await fighter(server.id);
    const v = await fighter(server.id);
    const good = () => hit({ attackerId: a.id, victimId: v.id });
    const raw = (hitJson: string) => `{"hits":[${hitJson}]}`;
    const base = JSON.stringify(good()).slice(0, -1);
    const cases: { name: string; body?: unknown; raw?: string; fields?: string[] }[] = [
      { name: 'NaN damage', raw: raw(`${base},"damage":NaN}`) },
      {
        name: 'infinite damage',
        raw: raw(`${base.replace(/"damage":10,?/, '')},"damage":1e999}`),
        fields: ['hits.0.damage'],
      },
      { name: 'negative damage', body: { hits: [{ ...good(), damage: -5 }] }, fields: ['hits.0.damage'] },
      { name: 'zero damage', body: { hits: [{ ...good(), damage: 0 }] }, fields: ['hits.0.damage'] },
      {
        name: 'damage over COMBAT_MAX_DAMAGE',
        body: { hits: [{ ...good(), damage: 1001 }] },
        fields: ['hits.0.damage'],
      },
      {
        name: '2^53 damage',
        raw: raw(`${base.replace(/"damage":10,?/, '')},"damage":9007199254740993}`),
        fields: ['hits.0.damage'],
      },
      { name: 'string damage', body: { hits: [{ ...good(), damage: '10' }] }, fields: ['hits.0.damage'] },
      {
        name: 'unknown body part',
        body: { hits: [{ ...good(), hitLocation: 'tail' }] },
        fields: ['hits.0.hitLocation'],
      },
      {
        name: '2^53 distance',
        body: { hits: [{ ...good(), distance: 2 ** 53 }] },
        fields: ['hits.0.distance'],
      },
      {
        name: 'negative distance',
        body: { hits: [{ ...good(), distance: -1 }] },
        fields: ['hits.0.distance'],
      },
      {
        name: '2^53 position',
        body: { hits: [{ ...good(), positionVictim: { x: 2 ** 53, y: 0, z: 0 } }] },
        fields: ['hits.0.positionVictim.x'],
      },
      { name: 'hitId not a UUID', body: { hits: [{ ...good(), hitId: 'h-1' }] }, fields: ['hits.0.hitId'] },
      {
        name: 'victimId missing',
        body: { hits: [{ ...good(), victimId: undefined }] },
        fields: ['hits.0.victimId'],
      },
      {
        name: 'headshot not a boolean',
        body: { hits: [{ ...good(), headshot: 'yes' }] },
        fields: ['hits.0.headshot'],
      },
      {
        name: 'unknown weapon',
        body: { hits: [{ ...good(), weaponId: 'laser_rifle' }] },
        fields: ['hits.0.weaponId'],
      },
      {
        name: 'a weapon that is not one',
        body: { hits: [{ ...good(), weaponId: 'ammo_9mm' }] },
        fields: ['hits.0.weaponId'],
      },
      {
        name: 'unknown field in a hit',
        body: { hits: [{ ...good(), crit: true }] },
        fields: ['hits.0.crit'],
      },
      { name: 'unknown top-level field', body: { hits: [good()], force: 1 }, fields: ['force'] },
      { name: 'no hits', body: { hits: [] }, fields: ['hits'] },
      { name: '501 hits', body: { hits: Array.from({ length: 501 }, good) }, fields: ['hits'] },
      { name: 'hits not an array', body: { hits: good() }, fields: ['hits'] },
      {
        name: 'a bad hit after good ones',
        body: { hits: [good(), good(), { ...good(), damage: -1 }] },
        fields: ['hits.2.damage'],
      },
    ];
    const before = await checksum();
    for (const c of cases) {
      const reply = await call(cluster.url, 'POST', '/v1/combat/hits', {
        headers: server.headers,
        ...(c.raw !== undefined ? { raw: c.raw } : { body: c.body }),
      });
      assert.deepEqual(
        [c.name, reply.status, codeOf(reply)],
        [c.name, 400, 'VALIDATION_FAILED'],
        JSON.stringify(reply.body),
      );
      if (c.fields) assert.deepEqual([c.name, fieldsOf(reply)], [c.name, c.fields]);
    }
    assert.equal(await checksum(), before);
    const ok = await send([good()]);
    assert.equal(ok.status, 200, 'the service answers the next call');
  });

  it('respawns a dead character only, with full health on dry land, then it can be hit again', async () => {
    const victim = await fighter(server.id);
    const respawn = (body: unknown, headers: Headers = server.headers, id = victim.id) =>
      call<RespawnView>(cluster.url, 'POST', `/v1/players/${id}/respawn`, { headers, body });
    const alive = await respawn({});
    assert.deepEqual([alive.status, codeOf(alive), detailsOf(alive).reason], [409, 'CONFLICT', 'NOT_DEAD']);
    const killed = await send([hit({ victimId: victim.id, damage: 100, hitLocation: 'head' })]);
    assert.equal(killed.body.results[0].killed, true);
    const before = await checksum();
    for (const [body, field] of [
      [{ position: { x: 2 ** 53, y: 0, z: 0 } }, 'position.x'],
      [{ position: { x: 0, y: 0 } }, 'position.z'],
      [{ hp: 100 }, 'hp'],
    ] as const) {
      const bad = await respawn(body);
      assert.deepEqual([bad.status, codeOf(bad), fieldsOf(bad)], [400, 'VALIDATION_FAILED', [field]]);
    }
    const elsewhere = await respawn({}, other.headers);
    assert.deepEqual([elsewhere.status, codeOf(elsewhere)], [403, 'FORBIDDEN']);
    const unknown = await respawn({}, server.headers, randomUUID());
    assert.deepEqual([unknown.status, codeOf(unknown)], [404, 'NOT_FOUND']);
    assert.equal(await checksum(), before);

    const back = await respawn({});
    assert.equal(back.status, 200, JSON.stringify(back.body));
    assert.deepEqual(Object.values(back.body.health), [100, 100, 100, 100, 100, 100, 100]);
    const { rows } = await cluster.pool.query(
      `SELECT died_at, position, chunk_x FROM players WHERE id = $1`,
      [victim.id],
    );
    assert.equal(rows[0].died_at, null);
    assert.deepEqual(rows[0].position, back.body.position);
    assert.equal(rows[0].chunk_x, Math.floor(back.body.position.x / 128));
    const again = await send([hit({ victimId: victim.id, damage: 10 })]);
    assert.deepEqual([again.body.results[0].applied, again.body.results[0].health.thorax], [true, 90]);
    // At a position of its choice: moved to the nearest dry land.
    await send([hit({ victimId: victim.id, damage: 100, hitLocation: 'head' })]);
    const there = await respawn({ position: { x: 412.5, y: 0, z: -1810 } });
    assert.equal(there.status, 200, JSON.stringify(there.body));
    assert.ok(
      Math.abs(there.body.position.x - 412.5) <= 512 && Math.abs(there.body.position.z + 1810) <= 512,
    );
  });

  it('answers the combat state to the server and the owning player only', async () => {
    const player = await signUp(cluster.url);
    const mine = await fighter(server.id, [], player.accountId);
    const foe = await fighter(server.id);
    const quiet = await call<CombatStateView>(cluster.url, 'GET', `/v1/players/${mine.id}/combat`, {
      headers: player.headers,
    });
    assert.equal(quiet.status, 200, JSON.stringify(quiet.body));
    assert.deepEqual(quiet.body, { inCombat: false, lastCombatAt: null, recent: [] });
    await send([hit({ attackerId: foe.id, victimId: mine.id })]);
    const hot = await call<CombatStateView>(cluster.url, 'GET', `/v1/players/${mine.id}/combat`, {
      headers: player.headers,
    });
    assert.equal(hot.body.inCombat, true);
    assert.deepEqual(
      hot.body.recent.map((r) => r.opponentId),
      [foe.id],
    );
    const stranger = await signUp(cluster.url);
    for (const headers of [stranger.headers, other.headers]) {
      const refused = await call(cluster.url, 'GET', `/v1/players/${mine.id}/combat`, { headers });
      assert.deepEqual([refused.status, codeOf(refused)], [403, 'FORBIDDEN']);
    }
    const missing = await call(cluster.url, 'GET', `/v1/players/${randomUUID()}/combat`, {
      headers: server.headers,
    });
    assert.deepEqual([missing.status, codeOf(missing)], [404, 'NOT_FOUND']);
  });

  it('lists combat logs newest first, keyset paged, to an admin and to the server of the player', async () => {
    const a = await fighter(server.id);
    const v = await fighter(server.id);
    const hits = Array.from({ length: 5 }, () => hit({ attackerId: a.id, victimId: v.id, damage: 1 }));
    for (const h of hits) assert.equal((await send([h])).status, 200);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `playerId=${v.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await call<CombatLogsView>(cluster.url, 'GET', `/v1/combat/logs?${query}`, {
        headers: ADMIN,
      });
      assert.equal(page.status, 200, JSON.stringify(page.body));
      assert.ok(page.body.logs.length <= 2);
      seen.push(...page.body.logs.map((l) => l.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, hits.map((h) => h.hitId).reverse());
    const asServer = await call<CombatLogsView>(cluster.url, 'GET', `/v1/combat/logs?playerId=${a.id}`, {
      headers: server.headers,
    });
    assert.equal(asServer.status, 200);
    assert.equal(asServer.body.logs.length, 5);
    const refused = await call(cluster.url, 'GET', `/v1/combat/logs?playerId=${a.id}`, {
      headers: other.headers,
    });
    assert.deepEqual([refused.status, codeOf(refused)], [403, 'FORBIDDEN']);
    const bad: [string, string][] = [
      ['', 'playerId'],
      [`playerId=${a.id}&limit=0`, 'limit'],
      [`playerId=${a.id}&limit=501`, 'limit'],
      [`playerId=${a.id}&limit=9007199254740993`, 'limit'],
      [`playerId=${a.id}&cursor=bm9wZQ`, 'cursor'],
      [`playerId=${a.id}&from=yesterday`, 'from'],
      [`playerId=${a.id}&verbose=1`, 'verbose'],
      [`playerId=nope`, 'playerId'],
    ];
    for (const [query, field] of bad) {
      const reply = await call(cluster.url, 'GET', `/v1/combat/logs?${query}`, { headers: server.headers });
      assert.deepEqual(
        [query, reply.status, codeOf(reply), fieldsOf(reply)],
        [query, 400, 'VALIDATION_FAILED', [field]],
      );
    }
  });
});
