import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  bullmqPrefix,
  createQueue,
  createQueueConnection,
  decayJobId,
  PROCESSING_QUEUES,
  ProcessorRegistry,
  QueueProducer,
  scheduleNamed,
  syncJobSchedulers,
  type ProcessingQueue,
  type ScheduleDefinition,
} from '@trustno1/queues';
import { RedisKeys } from '@trustno1/redis';
import { createTestNamespace, testInfra, type TestNamespace } from '@trustno1/testing';

const SAMPLES = {
  loot_generation: {
    containerId: '6f1c2d3e-4b5a-4c6d-8e7f-901234567890',
    cycle: 'c1',
    containerType: 'crate',
  },
  structure_decay: { chunkX: 3, chunkZ: -4, tick: '2026-01-01T00:10:00Z' },
  event_spawn: { templateId: 'airdrop', region: 'eu', tick: '2026-01-01T00:10:00Z' },
  ai_pathfinding: { from: { x: 0, z: 0 }, to: { x: 10, z: 5 } },
  raid_alerts: { deliveryId: '6f1c2d3e-4b5a-4c6d-8e7f-901234567890' },
} as const;

async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

describe('queues on real Redis', () => {
  let ns: TestNamespace;
  let connection: Redis;
  let producer: QueueProducer;

  beforeAll(async () => {
    ns = createTestNamespace();
    connection = createQueueConnection(testInfra().redisUrl, 'queues-spec');
    await connection.connect();
    producer = new QueueProducer({ connection, redisKeyPrefix: ns.redisKeyPrefix });
  });

  afterAll(async () => {
    await producer.close();
    await ns.cleanup();
    await connection.quit();
  });

  it("keeps every queue's keys under the seed's queue:<name>", async () => {
    const ids = new Map<ProcessingQueue, string>();
    for (const queue of PROCESSING_QUEUES) ids.set(queue, await producer.enqueue(queue, SAMPLES[queue]));
    await producer.queue('schedules').add('logs.archive', { schedule: 'logs.archive' });

    const keys = await scanKeys(connection, `${ns.redisKeyPrefix}*`);
    assert.ok(keys.length >= 8, `only ${keys.length} keys`);
    const known =
      /^queue:(loot_generation|structure_decay|event_spawn|ai_pathfinding|raid_alerts|schedules):/;
    for (const key of keys) assert.match(key.slice(ns.redisKeyPrefix.length), known, key);
    for (const [queue, id] of ids) {
      const jobKey = `${ns.redisKeyPrefix}${RedisKeys.processingQueue(queue)}:${id}`;
      assert.equal(await connection.exists(jobKey), 1, `missing ${jobKey}`);
    }
    assert.equal(bullmqPrefix(ns.redisKeyPrefix), `${ns.redisKeyPrefix}queue`);
  });

  it('adds the same decay job once however often it is submitted', async () => {
    const payload = { chunkX: 12, chunkZ: 34, tick: '2026-02-01T00:10:00Z' };
    const first = await producer.enqueue('structure_decay', payload);
    const second = await producer.enqueue('structure_decay', {
      ...payload,
      tick: '2026-02-01T00:10:00.000+00:00',
    });
    await producer.enqueue('structure_decay', payload);
    assert.equal(first, decayJobId(payload));
    assert.equal(second, first);
    const jobs = await producer
      .queue('structure_decay')
      .getJobs(['waiting', 'delayed', 'active', 'completed']);
    assert.equal(jobs.filter((j) => j.data.chunkX === 12).length, 1);
  });

  it('refuses an invalid payload before it reaches Redis', async () => {
    await assert.rejects(producer.enqueue('structure_decay', { chunkX: 1, chunkZ: 2, tick: 'soon' }), /tick/);
  });
});

/** One replica: its own connection, queue, scheduler upsert and worker. */
async function startReplica(
  prefix: string,
  schedule: ScheduleDefinition,
  seen: { id: string; tick: number; replica: number }[],
  replica: number,
) {
  const connection = createQueueConnection(testInfra().redisUrl, `replica-${replica}`);
  await connection.connect();
  const registry = new ProcessorRegistry([schedule]);
  registry.registerSchedule(
    schedule.name,
    async (run) => void seen.push({ id: run.job.id!, tick: run.tick.getTime(), replica }),
  );
  registry.validate(['schedules']);
  const queue: Queue = createQueue('schedules', { connection, redisKeyPrefix: prefix });
  const worker = new Worker('schedules', registry.handlerFor('schedules'), {
    connection,
    prefix: bullmqPrefix(prefix),
  });
  await worker.waitUntilReady();
  await syncJobSchedulers(queue, registry.activeSchedules(), []);
  return async () => {
    await worker.close();
    await queue.close();
    await connection.quit();
  };
}

describe('schedules across replicas', () => {
  let ns: TestNamespace;
  beforeAll(() => {
    ns = createTestNamespace();
  });
  afterAll(() => ns.cleanup());

  it('runs every tick once per cluster, whatever the number of replicas', async () => {
    const every = 300;
    const schedule: ScheduleDefinition = {
      ...scheduleNamed('positions.flush'),
      repeat: { every },
      enabled: true,
    };
    const seen: { id: string; tick: number; replica: number }[] = [];
    const started = Date.now();
    const stops = await Promise.all([1, 2].map((r) => startReplica(ns.redisKeyPrefix, schedule, seen, r)));
    await sleep(2_000);
    await Promise.all(stops.map((stop) => stop()));
    const elapsed = Date.now() - started;

    const ticks = seen.map((s) => s.tick).sort((a, b) => a - b);
    assert.ok(seen.length > 3, `only ${seen.length} runs`);
    assert.ok(seen.length <= Math.floor(elapsed / every) + 2, `${seen.length} runs in ${elapsed} ms`);
    assert.equal(new Set(seen.map((s) => s.id)).size, seen.length, 'a job ran twice');
    assert.equal(new Set(ticks).size, ticks.length, 'a tick ran twice');
    for (let i = 1; i < ticks.length; i++)
      assert.equal((ticks[i] - ticks[i - 1]) % every, 0, 'ticks off the grid');
  });
});
