/**
 * Raids seen from the factions service (issue 14): reputation from won raids (rule 4) and raid
 * alerts (rule 6). Combat writes evt.combat.raid.started.v1 / .ended.v1 to the outbox in its raid
 * functions (prisma/sql/combat/03_raids.sql); here the same rows are written to the outbox
 * directly, the worker's relay publishes them, the factions service's durable consumers take them,
 * and the worker's raid_alerts jobs POST to a real HTTP receiver on 127.0.0.1.
 *
 * The webhook is written straight into factions.factions: the API stores https URLs only, and the
 * local receiver speaks plain http (delivery itself accepts both; the address check is the guard).
 */
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { enqueueEvent } from '@trustno1/bus';
import {
  RaidEvents,
  type FactionWithMembersView,
  type RaidEndedEvent,
  type RaidStartedEvent,
} from '@trustno1/contracts';
import { registerServer, startCluster, TEST_ADMIN_KEY, type TestCluster } from '@trustno1/testing';
import { factionsApi, type Server } from '../testing/factions-e2e';
import { RAID_ALERT_CONSUMER } from './raid-alert.consumer';
import { RAID_REPUTATION_CONSUMER } from './raid-reputation.consumer';

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function ended(over: Partial<RaidEndedEvent>): RaidEndedEvent {
  const now = new Date().toISOString();
  return {
    raidId: randomUUID(),
    baseId: randomUUID(),
    cupboardId: null,
    structureId: randomUUID(),
    raiderFactionId: null,
    defenderFactionId: null,
    successful: true,
    cupboardDestroyed: true,
    lootTaken: [],
    damageDealt: 1000,
    explosivesUsed: { c4: 2 },
    participants: { raiders: [], defenders: [] },
    startedAt: now,
    endedAt: now,
    ...over,
  };
}

function started(over: Partial<RaidStartedEvent>): RaidStartedEvent {
  return {
    raidId: randomUUID(),
    baseId: randomUUID(),
    cupboardId: null,
    structureId: randomUUID(),
    raiderFactionId: null,
    defenderFactionId: null,
    attackerId: randomUUID(),
    defenders: [],
    position: { x: 10, y: 2, z: -30 },
    offlineProtected: false,
    startedAt: new Date().toISOString(),
    ...over,
  };
}

interface Received {
  path: string;
  body: {
    content: string;
    embeds: { title: string; description: string; color: number; fields: unknown[]; timestamp: string }[];
  };
}

/** A webhook receiver on 127.0.0.1: records every POST, answers what `answer` says for its path. */
async function receiver() {
  const received: Received[] = [];
  const answers = new Map<string, number[]>();
  const server: HttpServer = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      const path = req.url ?? '';
      received.push({ path, body: JSON.parse(text) as Received['body'] });
      const queued = answers.get(path) ?? [];
      const status = queued.length > 1 ? queued.shift()! : (queued[0] ?? 204);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    received,
    /** Statuses to answer on `path`, in order; the last one repeats. */
    answer: (path: string, statuses: number[]) => answers.set(path, [...statuses]),
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    on: (path: string) => received.filter((r) => r.path === path),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The cluster of one describe: accounts, factions, the worker (relay, raid_alerts) and the gateway. */
function raidWorld(env: Record<string, string>) {
  const w = {} as {
    cluster: TestCluster;
    server: Server;
    api: ReturnType<typeof factionsApi>;
    hooks: Awaited<ReturnType<typeof receiver>>;
  };
  beforeAll(async () => {
    w.hooks = await receiver();
    w.cluster = await startCluster(['accounts', 'factions', 'worker', 'gateway'], env);
    w.server = await registerServer(w.cluster.url, TEST_ADMIN_KEY);
    w.api = factionsApi(w.cluster, w.server);
  });
  afterAll(async () => {
    await w.cluster?.stop();
    await w.hooks?.close();
  });
  return w;
}

describe('raids: reputation from won raids, raid alerts (WEBHOOK_ALLOW_PRIVATE=true)', () => {
  const w = raidWorld({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_MAX_FAILURES: '3' });

  const emit = (subject: string, payload: unknown) => enqueueEvent(w.cluster.pool, subject, payload);
  const reputation = async (id: string) =>
    (
      await w.cluster.pool.query<{ reputation: number }>(
        `SELECT reputation FROM factions.factions WHERE id = $1`,
        [id],
      )
    ).rows[0].reputation;
  const processed = async (consumer: string) =>
    (
      await w.cluster.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM processed_events WHERE consumer = $1`,
        [consumer],
      )
    ).rows[0].n;
  const deliveries = async (factionId: string) =>
    (
      await w.cluster.pool.query<{
        raid_id: string;
        base_id: string;
        status: string;
        attempts: number;
        last_error: string | null;
      }>(
        `SELECT raid_id, base_id, status, attempts, last_error FROM factions.alert_deliveries
          WHERE faction_id = $1 ORDER BY created_at`,
        [factionId],
      )
    ).rows;
  /** A faction whose webhook is the receiver's /<faction id>. */
  const defending = async () => {
    const leader = await w.api.character();
    const faction = await w.api.create(leader.id);
    const path = `/${faction.id}`;
    await w.cluster.pool.query(`UPDATE factions.factions SET discord_webhook = $2 WHERE id = $1`, [
      faction.id,
      w.hooks.url(path),
    ]);
    return { faction, leader, path };
  };

  it('gives the raider 15 and takes 10 from the defender (never below 0), once per raid', async () => {
    const [a, b] = [await w.api.character(), await w.api.character()];
    const [raider, defender] = [await w.api.create(a.id), await w.api.create(b.id)];
    await w.cluster.pool.query(`UPDATE factions.factions SET reputation = 14 WHERE id = $1`, [defender.id]);
    const before = await processed(RAID_REPUTATION_CONSUMER);

    const won = ended({ raiderFactionId: raider.id, defenderFactionId: defender.id });
    // The same raid's event twice (two outbox rows, two event ids): applied once.
    await emit(RaidEvents.ended, won);
    await emit(RaidEvents.ended, won);
    await waitFor(
      async () => (await processed(RAID_REPUTATION_CONSUMER)) === before + 2,
      'both events consumed',
    );
    assert.deepEqual([await reputation(raider.id), await reputation(defender.id)], [15, 4]);

    // A second won raid: the defender stops at 0.
    await emit(RaidEvents.ended, ended({ raiderFactionId: raider.id, defenderFactionId: defender.id }));
    await waitFor(async () => (await reputation(raider.id)) === 30, 'the second raid');
    assert.equal(await reputation(defender.id), 0);

    const { rows } = await w.cluster.pool.query(
      `SELECT raider_gain, defender_loss FROM factions.raid_reputation WHERE raider_faction_id = $1
        ORDER BY created_at`,
      [raider.id],
    );
    assert.deepEqual(
      rows.map((r) => [r.raider_gain, r.defender_loss]),
      [
        [15, 10],
        [15, 4],
      ],
    );
  });

  it('changes no reputation for a failed raid, nor for a raid within one faction', async () => {
    const [a, b] = [await w.api.character(), await w.api.character()];
    const [fa, fb] = [await w.api.create(a.id), await w.api.create(b.id)];
    await w.cluster.pool.query(`UPDATE factions.factions SET reputation = 50 WHERE id = ANY($1)`, [
      [fa.id, fb.id],
    ]);
    const before = await processed(RAID_REPUTATION_CONSUMER);
    await emit(
      RaidEvents.ended,
      ended({ raiderFactionId: fa.id, defenderFactionId: fb.id, successful: false }),
    );
    await emit(RaidEvents.ended, ended({ raiderFactionId: fa.id, defenderFactionId: fa.id }));
    await waitFor(
      async () => (await processed(RAID_REPUTATION_CONSUMER)) === before + 2,
      'both events consumed',
    );
    await sleep(300);
    assert.deepEqual([await reputation(fa.id), await reputation(fb.id)], [50, 50]);
  });

  it('POSTs one Discord message to the defending faction, also when the event comes twice', async () => {
    const { faction, path } = await defending();
    const raid = started({ defenderFactionId: faction.id, offlineProtected: true });
    const before = await processed(RAID_ALERT_CONSUMER);
    await emit(RaidEvents.started, raid);
    await emit(RaidEvents.started, raid);
    await waitFor(async () => (await processed(RAID_ALERT_CONSUMER)) === before + 2, 'both events consumed');
    await waitFor(async () => (await deliveries(faction.id))[0]?.status === 'delivered', 'the delivery');
    await sleep(1500);
    const got = w.hooks.on(path);
    assert.equal(got.length, 1);
    const [embed] = got[0].body.embeds;
    assert.match(got[0].body.content, new RegExp(`\\[${faction.tag}\\]`));
    assert.equal(embed.title, 'Raid alert');
    assert.match(embed.description, new RegExp(raid.baseId));
    assert.equal(typeof embed.color, 'number');
    assert.equal(embed.timestamp, raid.startedAt);
    assert.ok(embed.fields.length >= 3);
    const rows = await deliveries(faction.id);
    assert.deepEqual(
      rows.map((r) => [r.raid_id, r.base_id, r.status, r.attempts]),
      [[raid.raidId, raid.baseId, 'delivered', 1]],
    );
  });

  it('retries after a 500 and then delivers', async () => {
    const { faction, path } = await defending();
    w.hooks.answer(path, [500, 200]);
    await emit(RaidEvents.started, started({ defenderFactionId: faction.id }));
    await waitFor(
      async () => (await deliveries(faction.id))[0]?.status === 'delivered',
      'the retried delivery',
    );
    const [row] = await deliveries(faction.id);
    assert.equal(row.attempts, 2);
    assert.equal(w.hooks.on(path).length, 2);
    const f = await w.cluster.pool.query(
      `SELECT webhook_failures, webhook_disabled_at FROM factions.factions WHERE id = $1`,
      [faction.id],
    );
    assert.deepEqual([f.rows[0].webhook_failures, f.rows[0].webhook_disabled_at], [0, null]);
  });

  it('sends at most one alert per base within the cooldown; another base gets its own', async () => {
    const { faction, path } = await defending();
    const [base1, base2] = [randomUUID(), randomUUID()];
    const before = await processed(RAID_ALERT_CONSUMER);
    await emit(RaidEvents.started, started({ defenderFactionId: faction.id, baseId: base1 }));
    await emit(RaidEvents.started, started({ defenderFactionId: faction.id, baseId: base1 }));
    await emit(RaidEvents.started, started({ defenderFactionId: faction.id, baseId: base2 }));
    await waitFor(async () => (await processed(RAID_ALERT_CONSUMER)) === before + 3, 'three events consumed');
    await waitFor(
      async () => (await deliveries(faction.id)).filter((r) => r.status === 'delivered').length === 2,
      'two deliveries',
    );
    await sleep(1500);
    const rows = await deliveries(faction.id);
    assert.deepEqual(rows.map((r) => r.base_id).sort(), [base1, base2].sort());
    const got = w.hooks.on(path);
    assert.equal(got.length, 2);
    assert.deepEqual(
      got.map((r) => (r.body.embeds[0].description.includes(base1) ? base1 : base2)).sort(),
      [base1, base2].sort(),
    );
  });

  it('disables a webhook after WEBHOOK_MAX_FAILURES failures in a row; a new webhook clears it', async () => {
    const { faction, leader, path } = await defending();
    w.hooks.answer(path, [500]);
    await emit(RaidEvents.started, started({ defenderFactionId: faction.id }));
    await waitFor(async () => (await deliveries(faction.id))[0]?.status === 'failed', 'the failed delivery');
    const [row] = await deliveries(faction.id);
    assert.equal(row.attempts, 3);
    assert.match(row.last_error ?? '', /HTTP 500/);
    assert.equal(w.hooks.on(path).length, 3);

    // The faction reads it in its record.
    const view = await w.api.send<FactionWithMembersView>('GET', `/v1/factions/${faction.id}`);
    assert.equal(view.status, 200);
    assert.ok(view.body.webhookDisabledAt, JSON.stringify(view.body));
    assert.match(view.body.webhookDisabledReason ?? '', /3 failed raid alert deliveries in a row/);

    // While disabled, a raid sends nothing.
    await emit(RaidEvents.started, started({ defenderFactionId: faction.id }));
    await sleep(2000);
    assert.equal((await deliveries(faction.id)).length, 1);
    assert.equal(w.hooks.on(path).length, 3);

    // Setting a webhook again clears it.
    const patched = await w.api.send<FactionWithMembersView>('PATCH', `/v1/factions/${faction.id}`, {
      byPlayerId: leader.id,
      discordWebhook: 'https://discord.com/api/webhooks/1/new',
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual([patched.body.webhookDisabledAt, patched.body.webhookDisabledReason], [null, null]);
    const f = await w.cluster.pool.query(`SELECT webhook_failures FROM factions.factions WHERE id = $1`, [
      faction.id,
    ]);
    assert.equal(f.rows[0].webhook_failures, 0);
  });
});

describe('raid alerts: private addresses refused by default', () => {
  const w = raidWorld({});

  it('never calls a 127.0.0.1 webhook and records the refusal', async () => {
    const leader = await w.api.character();
    const faction = await w.api.create(leader.id);
    const path = `/${faction.id}`;
    await w.cluster.pool.query(`UPDATE factions.factions SET discord_webhook = $2 WHERE id = $1`, [
      faction.id,
      w.hooks.url(path),
    ]);
    await enqueueEvent(w.cluster.pool, RaidEvents.started, started({ defenderFactionId: faction.id }));
    const status = async () =>
      (
        await w.cluster.pool.query<{ status: string; last_error: string | null }>(
          `SELECT status, last_error FROM factions.alert_deliveries WHERE faction_id = $1`,
          [faction.id],
        )
      ).rows[0];
    await waitFor(async () => (await status())?.status === 'refused', 'the refusal');
    assert.match(
      (await status()).last_error ?? '',
      /private, loopback or link-local address \(127\.0\.0\.1\)/,
    );
    await sleep(1000);
    assert.equal(w.hooks.received.length, 0);
  });
});
