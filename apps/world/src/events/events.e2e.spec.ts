import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { Redis } from 'ioredis';
import { BusClient } from '@trustno1/bus';
import {
  WorldEventSubjects,
  type AppError,
  type ExpireEventsView,
  type JoinEventView,
  type SpawnEventView,
  type WorldEventView,
} from '@trustno1/contracts';
import { createQueueConnection, QueueProducer } from '@trustno1/queues';
import {
  factories,
  registerServer,
  startCluster,
  TEST_ADMIN_KEY,
  testInfra,
  type Factories,
  type TestCluster,
  fetchJson,
  type ErrorBody,
} from '@trustno1/testing';
import { referencedItemTemplateIds, WORLD_CATALOGS } from '@trustno1/world-domain';

const ADMIN = { principal: { kind: 'admin' as const } };
const MINUTE = 60_000;

describe('world events: event_spawn through the worker, join, complete, expire', () => {
  let cluster: TestCluster;
  let pool: Pool;
  let server: Record<string, string>;
  let serverId: string;
  let bus: BusClient;
  let connection: Redis;
  let producer: QueueProducer;
  let f: Factories;

  beforeAll(async () => {
    // The worker serves only the event_spawn queue: no schedule ticks at real time in this file.
    cluster = await startCluster(['accounts', 'world', 'worker', 'gateway'], {
      WORKER_QUEUES: 'event_spawn',
    });
    pool = cluster.pool;
    f = factories(pool);
    ({ headers: server, id: serverId } = await registerServer(cluster.url, TEST_ADMIN_KEY));
    bus = new BusClient({ ...cluster.bus, serviceName: 'events-test' });
    connection = createQueueConnection(testInfra().redisUrl, 'events-test');
    producer = new QueueProducer({ connection, redisKeyPrefix: cluster.ns.redisKeyPrefix });
    // The item templates the rewards name (1 × 1, stacks of 50), as the inventory's catalog sync
    // would create them.
    for (const id of referencedItemTemplateIds()) await f.itemTemplate({ id, maxStack: 50 });
  });
  afterAll(async () => {
    await producer?.close();
    connection?.disconnect();
    await bus?.close();
    await cluster?.stop();
  });

  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = server) =>
    fetchJson(cluster.url, method, path, body, headers);
  const checksum = async () =>
    (
      await pool.query<{ sum: string }>(
        `SELECT md5(coalesce((SELECT string_agg(e::text, '|' ORDER BY e.id) FROM world_events e), '') ||
                    (SELECT count(*) FROM outbox)::text) AS sum`,
      )
    ).rows[0].sum;
  /** Spawns directly over NATS (what the event_spawn job does) at a tick that ends in the future. */
  let tickMinute = 0;
  const spawnNow = async (templateId = 'airdrop') => {
    tickMinute += 1;
    const tick = new Date(Date.now() - tickMinute * 1000).toISOString();
    const result = await bus.request<SpawnEventView>(WorldEventSubjects.spawn, { templateId, tick }, ADMIN);
    assert.equal(result.status, 'spawned');
    return (result as { eventId: string }).eventId;
  };
  /** A character joined to the test's server, as joining an event requires. */
  const joined = async () => {
    const c = await f.character();
    await pool.query(`UPDATE players SET server_id = $2 WHERE id = $1`, [c.id, serverId]);
    return c;
  };
  const eventRow = async (id: string) =>
    (
      await pool.query<{ partition: string; completed: boolean; participants: string[] }>(
        `SELECT tableoid::regclass::text AS partition, completed, participants FROM world_events WHERE id = $1`,
        [id],
      )
    ).rows;
  const waitForJob = async (jobId: string) => {
    for (let i = 0; i < 200; i++) {
      const state = await (await producer.job('event_spawn', jobId))?.getState();
      // Read it again: a job that finished between a read and getState() has no result in that read.
      const job =
        state === 'completed' || state === 'failed' ? await producer.job('event_spawn', jobId) : undefined;
      if (state === 'completed') return job!.returnvalue as SpawnEventView;
      if (state === 'failed') throw new Error(`job failed: ${job?.failedReason}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('event_spawn job did not finish');
  };

  it('spawns one event per template and tick through the event_spawn queue, at a valid place', async () => {
    const tick = new Date(Date.now() - 5 * MINUTE).toISOString();
    const payload = { templateId: 'convoy', tick };
    const [id1, id2] = await Promise.all([
      producer.enqueue('event_spawn', payload),
      producer.enqueue('event_spawn', payload),
    ]);
    assert.equal(id1, id2, 'the same tick is the same job');
    const result = await waitForJob(id1);
    assert.equal(result.status, 'spawned');
    const eventId = (result as { eventId: string }).eventId;
    // The job run again (a retry, a second worker) finds the event of its key.
    const again = await bus.request<SpawnEventView>(WorldEventSubjects.spawn, payload, ADMIN);
    assert.deepEqual(again, { status: 'existing', eventId });
    const rows = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM world_events WHERE event_type = 'convoy'`,
    );
    assert.equal(Number(rows.rows[0].n), 1);

    const list = (await (await call('GET', '/v1/events?active=true')).json()) as WorldEventView[];
    const event = list.find((e) => e.id === eventId);
    assert.ok(event);
    const convoy = WORLD_CATALOGS.events.find((e) => e.id === 'convoy')!;
    const minutes = (Date.parse(event.endsAt) - Date.parse(event.startedAt)) / MINUTE;
    assert.ok(
      minutes >= convoy.durationMinutes.min && minutes <= convoy.durationMinutes.max,
      `${minutes} min`,
    );
    assert.equal(Date.parse(event.startedAt), Date.parse(tick));
    assert.ok(event.location.y >= 0, 'on dry land');
    assert.deepEqual(
      [event.chunkX, event.chunkZ],
      [Math.floor(event.location.x / 128), Math.floor(event.location.z / 128)],
    );
    assert.equal(event.maxParticipants, convoy.maxParticipants);
    assert.deepEqual([event.completed, event.participants, event.winnerId], [false, [], null]);
  });

  it('adds a participant once, and completes with a participant as the winner into the completed partition', async () => {
    const id = await spawnNow();
    const [a, b] = [await joined(), await joined()];
    const joins = await Promise.all(
      [a, a, a, b].map((p) => call('POST', `/v1/events/${id}/join`, { playerId: p.id })),
    );
    assert.deepEqual(
      joins.map((r) => r.status),
      [200, 200, 200, 200],
    );
    const bodies = (await Promise.all(joins.map((r) => r.json()))) as JoinEventView[];
    assert.equal(bodies.filter((j) => j.joined).length, 2, 'a once, b once');
    assert.deepEqual((await eventRow(id))[0].participants.sort(), [a.id, b.id].sort());

    const outsider = await joined();
    const before = await checksum();
    const refused = await call('POST', `/v1/events/${id}/complete`, { winnerId: outsider.id });
    assert.equal(refused.status, 400);
    assert.deepEqual(
      ((await refused.json()) as ErrorBody).error.details?.fields?.map((x) => x.field),
      ['winnerId'],
    );
    assert.equal(await checksum(), before);

    const done = await call('POST', `/v1/events/${id}/complete`, { winnerId: b.id });
    assert.equal(done.status, 200);
    const view = (await done.json()) as WorldEventView;
    assert.deepEqual([view.completed, view.winnerId, view.outcome], [true, b.id, 'won']);
    assert.equal(view.rewards?.length, 1);
    const airdrop = WORLD_CATALOGS.events.find((e) => e.id === 'airdrop')!;
    assert.ok(airdrop.rewards.some((r) => r.itemTemplateId === view.rewards![0].itemTemplateId));
    const rows = await eventRow(id);
    assert.deepEqual(
      rows.map((r) => [r.partition, r.completed]),
      [['world_events_completed', true]],
      'the UPDATE moved the row between partitions',
    );
    const facts = await pool.query<{ payload: { winnerId: string; rewards: unknown } }>(
      `SELECT payload FROM outbox WHERE subject = 'evt.world.event.completed.v1' AND payload->>'eventId' = $1`,
      [id],
    );
    assert.equal(facts.rowCount, 1);
    assert.deepEqual(facts.rows[0].payload.rewards, view.rewards);

    const after = await checksum();
    const twice = await call('POST', `/v1/events/${id}/complete`, { winnerId: a.id });
    assert.equal(twice.status, 409);
    assert.equal(((await twice.json()) as ErrorBody).error.details?.reason, 'EVENT_COMPLETED');
    const late = await call('POST', `/v1/events/${id}/join`, { playerId: outsider.id });
    assert.equal(late.status, 409);
    assert.equal(((await late.json()) as ErrorBody).error.details?.reason, 'EVENT_ENDED');
    assert.equal(await checksum(), after);
    const active = (await (await call('GET', '/v1/events?active=true')).json()) as WorldEventView[];
    assert.ok(!active.some((e) => e.id === id));
    const inactive = (await (await call('GET', '/v1/events?active=false')).json()) as WorldEventView[];
    assert.ok(inactive.some((e) => e.id === id));
  });

  /** The item ledger rows an event's rewards wrote. */
  const rewardRows = async (eventId: string) =>
    (
      await pool.query<{
        item_id: string;
        template_id: string;
        quantity: number;
        operation: string;
        to: string;
      }>(
        `SELECT item_id, template_id, quantity, operation, to_inventory_id AS to FROM item_ledger
          WHERE reason = 'event_reward' AND reference = $1 ORDER BY id`,
        [`event:${eventId}`],
      )
    ).rows;

  it("delivers the rewards into the winner's inventory through the item ledger, exactly once however the completion is retried", async () => {
    const id = await spawnNow();
    const [a, b] = [await joined(), await joined()];
    for (const p of [a, b]) await call('POST', `/v1/events/${id}/join`, { playerId: p.id });
    const keyed = { ...server, 'idempotency-key': randomUUID() };
    // Three retries with one key and two without, racing.
    const replies = await Promise.all([
      ...[0, 1, 2].map(() => call('POST', `/v1/events/${id}/complete`, { winnerId: b.id }, keyed)),
      ...[0, 1].map(() => call('POST', `/v1/events/${id}/complete`, { winnerId: b.id })),
    ]);
    const ok = replies.filter((r) => r.status === 200);
    assert.ok(ok.length >= 1 && ok.length <= 4, replies.map((r) => r.status).join());
    assert.ok(replies.every((r) => r.status === 200 || r.status === 409));
    const view = (await ok[0].json()) as WorldEventView;
    const [reward] = view.rewards!;
    const rows = await rewardRows(id);
    assert.ok(rows.length >= 1);
    assert.ok(rows.every((r) => r.operation === 'create' && r.to === b.inventoryId));
    assert.ok(rows.every((r) => r.template_id === reward.itemTemplateId));
    assert.equal(
      rows.reduce((sum, r) => sum + r.quantity, 0),
      reward.quantity,
    );
    const held = await pool.query<{ n: number }>(
      `SELECT COALESCE(sum(quantity), 0)::int AS n FROM inventory_items WHERE inventory_id = $1 AND item_template_id = $2`,
      [b.inventoryId, reward.itemTemplateId],
    );
    assert.equal(held.rows[0].n, reward.quantity);
    assert.equal(view.rewardContainerInventoryId, null);
    // The same key once more: the stored answer when a keyed request completed the event; when an
    // unkeyed one won the race, the key stored nothing and the event is no longer active (409).
    // Either way, nothing new.
    const keyedWon = replies.slice(0, 3).some((r) => r.status === 200);
    const replay = await call('POST', `/v1/events/${id}/complete`, { winnerId: b.id }, keyed);
    assert.equal(replay.status, keyedWon ? 200 : 409);
    if (keyedWon) assert.equal(((await replay.json()) as WorldEventView).id, id);
    assert.deepEqual(await rewardRows(id), rows);
    // The event names the stacks it created.
    const facts = await pool.query<{
      payload: { itemIds: string[]; rewardContainerInventoryId: string | null };
    }>(
      `SELECT payload FROM outbox WHERE subject = 'evt.world.event.completed.v1' AND payload->>'eventId' = $1`,
      [id],
    );
    assert.equal(facts.rowCount, 1);
    assert.deepEqual(
      facts.rows[0].payload.itemIds,
      rows.map((r) => r.item_id),
    );
    assert.equal(facts.rows[0].payload.rewardContainerInventoryId, null);
  });

  it("puts rewards that do not fit the winner's inventory into a container owned by the event", async () => {
    const id = await spawnNow();
    const winner = await joined();
    await call('POST', `/v1/events/${id}/join`, { playerId: winner.id });
    // One item as large as the player's 10 × 6 grid fills it.
    const boulder = await f.itemTemplate({ id: `boulder_${randomUUID().slice(0, 8)}`, width: 10, height: 6 });
    await pool.query(`SELECT add_item($1, $2, 1, 0, 0, NULL, NULL, NULL, 'test')`, [
      winner.inventoryId,
      boulder.id,
    ]);
    const done = await call('POST', `/v1/events/${id}/complete`, { winnerId: winner.id });
    assert.equal(done.status, 200);
    const view = (await done.json()) as WorldEventView;
    const container = view.rewardContainerInventoryId;
    assert.ok(container);
    const owner = await pool.query<{ owner_id: string; owner_type: string }>(
      'SELECT owner_id, owner_type FROM inventories WHERE id = $1',
      [container],
    );
    assert.deepEqual(owner.rows, [{ owner_id: id, owner_type: 'container' }]);
    const rows = await rewardRows(id);
    assert.ok(rows.length >= 1 && rows.every((r) => r.to === container));
    assert.equal(
      rows.reduce((sum, r) => sum + r.quantity, 0),
      view.rewards![0].quantity,
    );
    const listed = (await (await call('GET', '/v1/events?active=false')).json()) as WorldEventView[];
    assert.equal(listed.find((e) => e.id === id)?.rewardContainerInventoryId, container);
  });

  it('delivers nothing for an event that expires without a winner', async () => {
    const old = new Date(Date.now() - 3 * 60 * MINUTE).toISOString();
    const spawned = await bus.request<SpawnEventView>(
      WorldEventSubjects.spawn,
      { templateId: 'radiation_storm', tick: old, region: 'gone' },
      ADMIN,
    );
    assert.equal(spawned.status, 'spawned');
    const eventId = (spawned as { eventId: string }).eventId;
    await bus.request<ExpireEventsView>(WorldEventSubjects.expire, { now: new Date().toISOString() }, ADMIN);
    assert.deepEqual(await rewardRows(eventId), []);
  });

  it('completes two parallel winners once: one 200, one 409', async () => {
    const id = await spawnNow();
    const [a, b] = [await joined(), await joined()];
    for (const p of [a, b]) await call('POST', `/v1/events/${id}/join`, { playerId: p.id });
    const statuses = (
      await Promise.all([a, b].map((p) => call('POST', `/v1/events/${id}/complete`, { winnerId: p.id })))
    ).map((r) => r.status);
    assert.deepEqual(statuses.sort(), [200, 409]);
    assert.equal((await eventRow(id)).length, 1);
  });

  it('refuses joins after the end, and expires ended events once, without a winner', async () => {
    const old = new Date(Date.now() - 3 * 60 * MINUTE).toISOString();
    const spawned = await bus.request<SpawnEventView>(
      WorldEventSubjects.spawn,
      { templateId: 'radiation_storm', tick: old },
      ADMIN,
    );
    const id = (spawned as { eventId: string }).eventId;
    const p = await joined();
    const before = await checksum();
    const late = await call('POST', `/v1/events/${id}/join`, { playerId: p.id });
    assert.equal(late.status, 409);
    assert.equal(((await late.json()) as ErrorBody).error.details?.reason, 'EVENT_ENDED');
    assert.equal(await checksum(), before);
    const active = (await (await call('GET', '/v1/events?active=true')).json()) as WorldEventView[];
    assert.ok(!active.some((e) => e.id === id), 'past its end: not active even before the expiry tick');

    const now = new Date().toISOString();
    const [first, second] = await Promise.all([
      bus.request<ExpireEventsView>(WorldEventSubjects.expire, { now }, ADMIN),
      bus.request<ExpireEventsView>(WorldEventSubjects.expire, { now }, ADMIN),
    ]);
    assert.equal([...first.expired, ...second.expired].filter((x) => x === id).length, 1);
    const rows = await eventRow(id);
    assert.deepEqual(
      rows.map((r) => [r.partition, r.completed]),
      [['world_events_completed', true]],
    );
    const view = (await (await call('GET', '/v1/events?active=false')).json()) as WorldEventView[];
    const expired = view.find((e) => e.id === id)!;
    assert.deepEqual([expired.outcome, expired.winnerId], ['expired', null]);
  });

  it('refuses a full event with 422 LIMIT_REACHED', async () => {
    const id = await spawnNow();
    await pool.query(`UPDATE world_events SET data = data || '{"maxParticipants": 1}' WHERE id = $1`, [id]);
    const [a, b] = [await joined(), await joined()];
    assert.equal((await call('POST', `/v1/events/${id}/join`, { playerId: a.id })).status, 200);
    const before = await checksum();
    const full = await call('POST', `/v1/events/${id}/join`, { playerId: b.id });
    assert.equal(full.status, 422);
    assert.equal(((await full.json()) as ErrorBody).error.code, 'LIMIT_REACHED');
    assert.equal(await checksum(), before);
  });

  it('answers bad input with 4xx naming the field and unknown ids with 404, changing nothing', async () => {
    const id = await spawnNow();
    const p = await joined();
    const stranger = await f.character();
    const before = await checksum();
    for (const [method, path, body, status, field] of [
      ['POST', `/v1/events/${id}/join`, { playerId: 'me' }, 400, 'playerId'],
      ['POST', `/v1/events/${id}/join`, {}, 400, 'playerId'],
      ['POST', `/v1/events/${id}/join`, { playerId: p.id, extra: 1 }, 400, 'extra'],
      ['POST', `/v1/events/${id}/complete`, { winnerId: 7 }, 400, 'winnerId'],
      ['POST', '/v1/events/nope/join', { playerId: p.id }, 400, 'id'],
      ['GET', '/v1/events?active=yes', undefined, 400, 'active'],
      ['GET', '/v1/events?page=2', undefined, 400, 'page'],
      ['POST', `/v1/events/${randomUUID()}/join`, { playerId: p.id }, 404, 'eventId'],
      ['POST', `/v1/events/${id}/join`, { playerId: randomUUID() }, 404, 'playerId'],
      ['POST', `/v1/events/${id}/join`, { playerId: stranger.id }, 403, 'playerId'],
      ['POST', `/v1/events/${randomUUID()}/complete`, { winnerId: p.id }, 404, 'eventId'],
    ] as const) {
      const response = await call(method, path, body);
      assert.equal(response.status, status, `${method} ${path} ${JSON.stringify(body)}`);
      const error = (await response.json()) as ErrorBody & { error: { details?: Record<string, unknown> } };
      if (status === 400)
        assert.deepEqual(
          error.error.details?.fields?.map((x) => x.field),
          [field],
        );
      else assert.ok(field in (error.error.details ?? {}), field);
    }
    for (const headers of [{}, { authorization: 'Bearer nope' }] as Record<string, string>[])
      assert.equal((await call('GET', '/v1/events', undefined, headers)).status, 401);
    await assert.rejects(
      bus.request(
        WorldEventSubjects.spawn,
        { templateId: 'airdrop', tick: new Date().toISOString() },
        {
          principal: { kind: 'server', serverId: randomUUID(), region: 'eu-west' },
        },
      ),
      (error: AppError) => error.code === 'FORBIDDEN',
    );
    await assert.rejects(
      bus.request(WorldEventSubjects.spawn, { templateId: 'meteor', tick: new Date().toISOString() }, ADMIN),
      (error: AppError) => error.code === 'VALIDATION_FAILED',
    );
    assert.equal(await checksum(), before);
  });
});
