/**
 * Crash points (issue 12): the combat service as a real process, spoken to over NATS as a game
 * server would, SIGKILLed again and again in the middle of a stream of hit batches. Each batch has
 * its Idempotency-Key and its hit ids; an unacknowledged batch is retried with both until it is.
 * No batch may be half applied, no hit applied twice, no item lost or duplicated: every victim
 * dies exactly once, into exactly one corpse holding everything it carried.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { BusClient } from '@trustno1/bus';
import { AppError, CombatOps, ErrorCode, type ApplyHitsView, type Principal } from '@trustno1/contracts';
import { createPrismaClient } from '@trustno1/db';
import { syncCatalog } from '@trustno1/inventory-domain';
import { factories, startApp, startCluster, type RunningApp, type TestCluster } from '@trustno1/testing';

const FIGHTS = 12;
const BATCHES = 10;
const HITS_PER_BATCH = 5;
/** Thorax damage per hit: a victim dies part-way through its stream (head or thorax at 0 kills). */
const DAMAGE = 6;
const KILLS_AT_LEAST = 5;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('combat service under crashes (NATS, real process)', () => {
  let cluster: TestCluster;
  let bus: BusClient;
  let server: Principal;
  let current: RunningApp;
  const restarted: RunningApp[] = [];

  beforeAll(async () => {
    cluster = await startCluster(['combat']);
    current = cluster.app('combat');
    await syncCatalog(createPrismaClient(cluster.pool));
    bus = new BusClient({ ...cluster.bus, serviceName: 'combat-crash-points' });
    const game = await factories(cluster.pool).gameServer();
    server = { kind: 'server', serverId: game.id, region: game.region };
  });

  afterAll(async () => {
    await bus?.close();
    await Promise.all(restarted.map((app) => app.kill()));
    await cluster?.stop();
  });

  const joined = (items: [string, number][] = []) =>
    factories(cluster.pool).joinedCharacter(server.kind === 'server' ? server.serverId : '', items);

  const totals = async () =>
    (
      await cluster.pool.query<{ item_template_id: string; n: string }>(
        `SELECT item_template_id, sum(quantity)::text AS n FROM inventory_items GROUP BY 1 ORDER BY 1`,
      )
    ).rows;

  it(`applies every batch exactly once while the service is killed ≥${KILLS_AT_LEAST} times mid-stream`, async () => {
    const fights = [];
    for (let j = 0; j < FIGHTS; j++) {
      fights.push({
        attacker: await joined(),
        victim: await joined([
          ['ammo_762', 30],
          ['rifle_ak', 1],
        ]),
      });
    }
    const totalsBefore = await totals();
    const plans = fights.map(({ attacker, victim }, j) =>
      Array.from({ length: BATCHES }, (_, k) => ({
        key: `hits-${j}-${k}`,
        hits: Array.from({ length: HITS_PER_BATCH }, () => ({
          hitId: randomUUID(),
          attackerId: attacker.id,
          victimId: victim.id,
          damage: DAMAGE,
          hitLocation: 'thorax',
        })),
      })),
    );
    const first = new Map<string, ApplyHitsView>();
    const unexpected: string[] = [];
    let acked = 0;
    let retries = 0;
    // Closed while the service restarts, so the stream cannot run out while a slow machine boots it.
    let gate: Promise<void> = Promise.resolve();
    const lanes = plans.map(async (plan) => {
      for (const batch of plan) {
        for (;;) {
          await gate;
          try {
            const reply = await bus.request<ApplyHitsView>(
              CombatOps.applyHits.subject,
              { hits: batch.hits },
              { principal: server, idempotencyKey: batch.key, timeoutMs: 3_000 },
            );
            first.set(batch.key, reply);
            acked++;
            break;
          } catch (error) {
            if (!(error instanceof AppError) || error.code !== ErrorCode.UNAVAILABLE) {
              unexpected.push(`${batch.key}: ${String(error)}`);
              return;
            }
            retries++;
            await pause(50);
          }
        }
      }
    });
    let done = false;
    const streaming = Promise.all(lanes).then(() => (done = true));
    let kills = 0;
    while (!done && kills < KILLS_AT_LEAST * 2) {
      const mark = acked;
      while (!done && acked - mark < 6) await pause(10);
      if (done) break;
      let open = () => {};
      gate = new Promise<void>((resolve) => (open = resolve));
      await current.kill();
      kills++;
      try {
        current = await startApp('combat', cluster.env);
        restarted.push(current);
      } finally {
        open();
      }
    }
    await streaming;
    process.stdout.write(
      `# combat crash points: ${FIGHTS * BATCHES} batches, ${kills} kills, ${retries} retried attempts\n`,
    );

    assert.deepEqual(unexpected, []);
    assert.ok(kills >= KILLS_AT_LEAST, `${kills} kills`);
    assert.ok(retries > 0, 'some batches were cut off by a kill and retried with their key');
    assert.equal(first.size, FIGHTS * BATCHES);

    // Every hit id seen once; a batch is whole or absent, never half applied.
    const planned = plans.flat().flatMap((b) => b.hits.map((h) => h.hitId));
    const { rows: seen } = await cluster.pool.query<{ hit_id: string }>(
      `SELECT hit_id FROM seen_hits WHERE hit_id = ANY($1::uuid[])`,
      [planned],
    );
    assert.equal(seen.length, planned.length);
    for (const { attacker, victim } of fights) {
      const { rows: logs } = await cluster.pool.query<{ n: string; kills: string }>(
        `SELECT count(*)::text AS n, count(*) FILTER (WHERE killing_blow)::text AS kills
           FROM combat_logs WHERE victim_id = $1`,
        [victim.id],
      );
      const { rows: applied } = await cluster.pool.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM seen_hits
          WHERE applied AND hit_id = ANY($1::uuid[])`,
        [plans.flat().flatMap((b) => b.hits.filter((h) => h.victimId === victim.id).map((h) => h.hitId))],
      );
      assert.equal(logs[0]?.n, applied[0]?.n, 'one combat log row per applied hit');
      assert.equal(logs[0]?.kills, '1', 'one killing blow');
      const stats = await cluster.pool.query<{ deaths: number; kills_players: number }>(
        `SELECT (SELECT deaths FROM player_stats WHERE player_id = $1) AS deaths,
                (SELECT kills_players FROM player_stats WHERE player_id = $2) AS kills_players`,
        [victim.id, attacker.id],
      );
      assert.deepEqual(stats.rows[0], { deaths: 1, kills_players: 1 });
      const { rows: corpses } = await cluster.pool.query<{ inventory_id: string }>(
        `SELECT inventory_id FROM corpses WHERE player_id = $1`,
        [victim.id],
      );
      assert.equal(corpses.length, 1, 'exactly one corpse');
      const { rows: held } = await cluster.pool.query<{ item_template_id: string; quantity: number }>(
        `SELECT item_template_id, quantity FROM inventory_items WHERE inventory_id = $1 ORDER BY 1`,
        [corpses[0]?.inventory_id],
      );
      assert.deepEqual(held, [
        { item_template_id: 'ammo_762', quantity: 30 },
        { item_template_id: 'rifle_ak', quantity: 1 },
      ]);
    }
    assert.deepEqual(await totals(), totalsBefore, 'no item lost or duplicated');
  });
});
