import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { StructureSubjects } from '@trustno1/contracts';
import { createQueueConnection, ProcessorRegistry, QueueProducer, scheduleNamed } from '@trustno1/queues';
import { createTestNamespace, testInfra, type TestNamespace } from '@trustno1/testing';
import { DecayScanProcessor } from './decay-scan.processor';
import { StructureDecayProcessor } from './structure-decay.processor';
import { fakeBus } from '../../testing/fake-bus';

describe('structure decay: the scan schedule and the structure_decay queue', () => {
  let ns: TestNamespace;
  let connection: Redis;
  let producer: QueueProducer;

  beforeAll(() => {
    ns = createTestNamespace();
    connection = createQueueConnection(testInfra().redisUrl, 'decay-spec');
    producer = new QueueProducer({ connection, redisKeyPrefix: ns.redisKeyPrefix });
  });

  afterAll(async () => {
    await producer?.close();
    connection?.disconnect();
    await ns?.cleanup();
  });

  it('is enabled, owned by world, every 10 minutes', () => {
    const s = scheduleNamed('structures.decay-scan');
    assert.deepEqual([s.domain, s.enabled, s.repeat], ['world', true, { every: 600_000 }]);
  });

  it('enqueues one job per chunk with decay to apply, and nothing more when the tick is scanned again', async () => {
    const chunks = [
      { chunkX: 0, chunkZ: 0 },
      { chunkX: -3, chunkZ: 7 },
      { chunkX: 12, chunkZ: -1 },
    ];
    const world = fakeBus({ chunks });
    const registry = new ProcessorRegistry();
    new DecayScanProcessor(registry, world.bus, producer).onModuleInit();
    const handler = registry.handlerFor('schedules');
    const tick = Date.UTC(2026, 0, 1, 0, 10);
    const job = {
      name: 'structures.decay-scan',
      id: `repeat:decay:${tick}`,
      timestamp: tick,
      opts: {},
    } as Job;

    assert.deepEqual(await handler(job), { tick: new Date(tick).toISOString(), enqueued: 3 });
    await handler(job);
    assert.deepEqual(world.calls[0], {
      subject: StructureSubjects.decayChunks,
      payload: { tick: new Date(tick).toISOString() },
      opts: { principal: { kind: 'admin' }, timeoutMs: 15_000 },
    });
    const queued = await producer.queue('structure_decay').getJobs(['waiting', 'delayed', 'prioritized']);
    assert.deepEqual(queued.map((j) => j.id).sort(), [
      'decay.-3.7.20260101T001000.000Z',
      'decay.0.0.20260101T001000.000Z',
      'decay.12.-1.20260101T001000.000Z',
    ]);
    for (const j of queued)
      assert.deepEqual(
        j.data,
        chunks
          .map((c) => ({ ...c, tick: new Date(tick).toISOString() }))
          .find((c) => j.id?.includes(`.${c.chunkX}.${c.chunkZ}.`)),
      );

    const next = { ...job, id: `repeat:decay:${tick + 600_000}`, timestamp: tick + 600_000 } as Job;
    await handler(next);
    assert.equal(
      (await producer.queue('structure_decay').getJobs(['waiting', 'delayed', 'prioritized'])).length,
      6,
    );
  });

  it('asks the world service to decay the job’s chunk at the job’s tick, as admin', async () => {
    const reply = {
      chunkX: 4,
      chunkZ: 5,
      tick: '2026-01-01T00:10:00.000Z',
      processed: 2,
      decayed: 1,
      destroyed: 1,
      batches: 1,
    };
    const world = fakeBus(reply);
    const registry = new ProcessorRegistry();
    new StructureDecayProcessor(registry, world.bus).onModuleInit();
    const handler = registry.handlerFor('structure_decay');
    const data = { chunkX: 4, chunkZ: 5, tick: '2026-01-01T00:10:00.000Z' };
    assert.deepEqual(await handler({ data, id: 'decay.4.5.x', opts: {} } as Job), reply);
    assert.deepEqual(world.calls, [
      {
        subject: StructureSubjects.decayChunk,
        payload: data,
        opts: { principal: { kind: 'admin' }, timeoutMs: 30_000 },
      },
    ]);
    await assert.rejects(
      handler({ data: { chunkX: 1.5, chunkZ: 0, tick: data.tick }, opts: {} } as Job),
      /chunkX/,
    );
    assert.equal(world.calls.length, 1, 'a bad payload never reaches the world service');
  });
});
