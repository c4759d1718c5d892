/**
 * `POST /v1/combat/hits` with `Prefer: respond-async` end to end (issue 12): the gateway checks the
 * batch, answers 202 `{queued}` and leaves it sealed on `damage:queue`; the combat service drains
 * it in the order accepted with the same effects as a synchronous call. Hits queued while combat
 * is stopped are applied once, in order, when it starts; a refused batch is dead-lettered without
 * holding the others up; bad input and the wrong caller are refused before anything is queued.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { Hit, QueuedHitsView } from '@trustno1/contracts';
import { createPrismaClient } from '@trustno1/db';
import { syncCatalog } from '@trustno1/inventory-domain';
import {
  call,
  codeOf,
  factories,
  fieldsOf,
  registerServer,
  signUp,
  startApp,
  startCluster,
  TEST_ADMIN_KEY,
  type RunningApp,
  type TestCluster,
} from '@trustno1/testing';

type Headers = Record<string, string>;
const QUEUE = 'damage:queue';
const PROCESSING = '{damage:queue}:processing';
const DEAD = '{damage:queue}:dead';
const ASYNC = { prefer: 'respond-async' };

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('hits sent with Prefer: respond-async (damage:queue)', () => {
  let cluster: TestCluster;
  let server: { id: string; headers: Headers };
  let other: { id: string; headers: Headers };
  const restarted: RunningApp[] = [];

  const fighter = (serverId: string, items: [string, number][] = []) =>
    factories(cluster.pool).joinedCharacter(serverId, items);
  const hit = (over: Partial<Hit> & { victimId: string }): Hit => ({
    hitId: randomUUID(),
    damage: 30,
    hitLocation: 'head',
    ...over,
  });
  const sendAsync = (hits: unknown[], headers: Headers = server.headers) =>
    call<QueuedHitsView>(cluster.url, 'POST', '/v1/combat/hits', {
      headers: { ...headers, ...ASYNC },
      body: { hits },
    });
  const waiting = async () => (await cluster.redis.llen(QUEUE)) + (await cluster.redis.llen(PROCESSING));
  async function drained(timeoutMs = 30_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while ((await waiting()) > 0) {
      if (Date.now() > end) assert.fail(`damage:queue still holds ${await waiting()} batches`);
      await pause(50);
    }
  }
  const seen = async (ids: string[]) =>
    (
      await cluster.pool.query<{ hit_id: string; applied: boolean }>(
        `SELECT hit_id, applied FROM seen_hits WHERE hit_id = ANY($1::uuid[])`,
        [ids],
      )
    ).rows;

  beforeAll(async () => {
    cluster = await startCluster(['accounts', 'combat', 'gateway']);
    await syncCatalog(createPrismaClient(cluster.pool));
    [server, other] = await Promise.all([
      registerServer(cluster.url, TEST_ADMIN_KEY),
      registerServer(cluster.url, TEST_ADMIN_KEY),
    ]);
  });
  afterAll(async () => {
    await Promise.all(restarted.map((app) => app.kill()));
    await cluster?.stop();
  });

  it('queues while combat is stopped and applies every batch once, in order, once it starts', async () => {
    await cluster.app('combat').stop();
    const attacker = await fighter(server.id);
    const victim = await fighter(server.id, [
      ['rifle_ak', 1],
      ['ammo_762', 40],
    ]);
    // Three head hits of about 30 leave 7; the fourth kills; the fifth finds the victim dead. Applied in
    // any other order, the killing blow and the refusal would land on other hits.
    // Each hit's damage tells its combat log row apart.
    const a = [
      hit({ attackerId: attacker.id, victimId: victim.id, damage: 30 }),
      hit({ attackerId: attacker.id, victimId: victim.id, damage: 31 }),
    ];
    const b = [hit({ attackerId: attacker.id, victimId: victim.id, damage: 32 })];
    const killing = hit({ attackerId: attacker.id, victimId: victim.id, damage: 33 });
    const late = hit({ attackerId: attacker.id, victimId: victim.id, hitLocation: 'thorax' });
    const batches = [a, b, [killing], [a[0], late]];
    for (const batch of batches) {
      const reply = await sendAsync(batch);
      assert.equal(reply.status, 202, JSON.stringify(reply.body));
      assert.deepEqual(reply.body, { queued: batch.length });
      assert.equal(reply.headers.get('preference-applied'), 'respond-async');
    }
    // A game server retrying a batch it had no answer for: queued again, applied once.
    assert.equal((await sendAsync(a)).status, 202);
    await pause(500);
    const ids = [...a, ...b, killing, late].map((h) => h.hitId);
    assert.deepEqual(await seen(ids), [], 'nothing applied while combat is stopped');
    assert.equal(await cluster.redis.llen(QUEUE), 5);

    restarted.push(await startApp('combat', cluster.env));
    await drained();

    const { rows: logs } = await cluster.pool.query<{ damage: number; killing_blow: boolean }>(
      `SELECT damage::float8 AS damage, killing_blow FROM combat_logs WHERE victim_id = $1 ORDER BY created_at, damage`,
      [victim.id],
    );
    assert.deepEqual(
      logs.map((l) => [l.damage, l.killing_blow]),
      [
        [30, false],
        [31, false],
        [32, false],
        [33, true],
      ],
    );
    assert.deepEqual(Object.fromEntries((await seen(ids)).map((s) => [s.hit_id, s.applied])), {
      [a[0].hitId]: true,
      [a[1].hitId]: true,
      [b[0].hitId]: true,
      [killing.hitId]: true,
      [late.hitId]: false,
    });
    const { rows: corpses } = await cluster.pool.query<{ inventory_id: string }>(
      `SELECT inventory_id FROM corpses WHERE player_id = $1`,
      [victim.id],
    );
    assert.equal(corpses.length, 1, 'one corpse');
    const { rows: held } = await cluster.pool.query<{ item_template_id: string; quantity: number }>(
      `SELECT item_template_id, quantity FROM inventory_items WHERE inventory_id = $1 ORDER BY 1`,
      [corpses[0].inventory_id],
    );
    assert.deepEqual(held, [
      { item_template_id: 'ammo_762', quantity: 40 },
      { item_template_id: 'rifle_ak', quantity: 1 },
    ]);
    const { rows: stats } = await cluster.pool.query<{ deaths: number; kills_players: number }>(
      `SELECT (SELECT deaths FROM player_stats WHERE player_id = $1) AS deaths,
              (SELECT kills_players FROM player_stats WHERE player_id = $2) AS kills_players`,
      [victim.id, attacker.id],
    );
    assert.deepEqual(stats[0], { deaths: 1, kills_players: 1 });
    const { rows: events } = await cluster.pool.query(
      `SELECT 1 FROM outbox WHERE subject = 'evt.combat.player.killed.v1' AND payload->>'playerId' = $1`,
      [victim.id],
    );
    assert.equal(events.length, 1, 'one kill event');
    assert.equal(await cluster.redis.llen(DEAD), 0);
  });

  it('dead-letters a batch the service refuses and applies the batches after it', async () => {
    const attacker = await fighter(server.id);
    const elsewhere = await fighter(other.id);
    const victim = await fighter(server.id);
    const refused = hit({ attackerId: attacker.id, victimId: elsewhere.id });
    const fine = hit({ attackerId: attacker.id, victimId: victim.id, hitLocation: 'thorax' });
    assert.equal((await sendAsync([refused])).status, 202);
    assert.equal((await sendAsync([fine])).status, 202);
    await drained();
    assert.deepEqual(
      Object.fromEntries((await seen([refused.hitId, fine.hitId])).map((s) => [s.hit_id, s.applied])),
      { [fine.hitId]: true },
    );
    const dead = (await cluster.redis.lrange(DEAD, 0, -1)).map(
      (text) => JSON.parse(text) as { reason: string; code: string; call: string },
    );
    assert.equal(dead.length, 1);
    assert.deepEqual([dead[0].reason, dead[0].code], ['REFUSED', 'FORBIDDEN']);
    assert.ok(dead[0].call.includes(refused.hitId), 'the dead letter keeps the batch');
  });

  it('refuses bad input and the wrong caller before anything is queued, and answers without Prefer as before', async () => {
    const attacker = await fighter(server.id);
    const victim = await fighter(server.id);
    const player = await signUp(cluster.url);
    await drained();
    const before = await cluster.redis.llen(QUEUE);
    const nan = await call(cluster.url, 'POST', '/v1/combat/hits', {
      headers: { ...server.headers, ...ASYNC, 'content-type': 'application/json' },
      raw: JSON.stringify({ hits: [{ ...hit({ victimId: victim.id }), damage: 'NaN' }] }),
    });
    assert.deepEqual([nan.status, codeOf(nan), fieldsOf(nan)], [400, 'VALIDATION_FAILED', ['hits.0.damage']]);
    const tooMany = await sendAsync(Array.from({ length: 501 }, () => hit({ victimId: victim.id })));
    assert.deepEqual([tooMany.status, fieldsOf(tooMany)], [400, ['hits']]);
    const unknownField = await sendAsync([{ ...hit({ victimId: victim.id }), bonus: 1 }]);
    assert.equal(unknownField.status, 400);
    const part = await sendAsync([hit({ victimId: victim.id, hitLocation: 'tail' as Hit['hitLocation'] })]);
    assert.deepEqual([part.status, fieldsOf(part)], [400, ['hits.0.hitLocation']]);
    const asPlayer = await sendAsync([hit({ victimId: victim.id })], player.headers);
    assert.deepEqual([asPlayer.status, codeOf(asPlayer)], [403, 'FORBIDDEN']);
    const anonymous = await sendAsync([hit({ victimId: victim.id })], {});
    assert.equal(anonymous.status, 401);
    assert.equal(await cluster.redis.llen(QUEUE), before, 'nothing queued');

    const other = hit({ attackerId: attacker.id, victimId: victim.id, hitLocation: 'thorax' });
    const sync = await call<{ results: { applied: boolean }[] }>(cluster.url, 'POST', '/v1/combat/hits', {
      headers: { ...server.headers, prefer: 'return=minimal' },
      body: { hits: [other] },
    });
    assert.equal(sync.status, 200, 'another preference is answered synchronously');
    assert.equal(sync.body.results[0].applied, true);
  });
});
