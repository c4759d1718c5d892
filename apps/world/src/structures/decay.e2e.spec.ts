// The decay chain as it runs in production: the structures.decay-scan schedule asks the world
// service for chunks with lapsed upkeep, enqueues one structure_decay job per chunk, and the
// worker's processor has the world service apply the job's tick.
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { DecayChunkView } from '@trustno1/contracts';
import { createQueue, createQueueConnection, QueueProducer } from '@trustno1/queues';
import { factories, startCluster, testInfra, type TestCluster } from '@trustno1/testing';
import { WORLD_CATALOGS } from '@trustno1/world-domain';

const WALL = WORLD_CATALOGS.structures.find((s) => s.id === 'wall_wood')!;

/** Waits for asynchronous work of other processes (not for a time rule: ticks are parameters). */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('structure decay through the worker', () => {
  let cluster: TestCluster;
  let pool: Pool;
  let connection: Redis;
  let producer: QueueProducer;
  let ownerId: string;

  beforeAll(async () => {
    cluster = await startCluster(['world', 'worker']);
    pool = cluster.pool;
    connection = createQueueConnection(testInfra().redisUrl, 'decay-e2e');
    producer = new QueueProducer({ connection, redisKeyPrefix: cluster.ns.redisKeyPrefix });
    ownerId = (await factories(pool).character()).id;
  });

  afterAll(async () => {
    await producer?.close();
    connection?.disconnect();
    await cluster?.stop();
  });

  /** A wood wall placed at `at` in chunk (cx, 0), as the world service places it. */
  const place = async (cx: number, at: Date): Promise<string> => {
    const id = randomUUID();
    await pool.query(
      `SELECT place_structure($1, $2, NULL, 'wall_wood', $3::jsonb, '{"x":0,"y":0,"z":0,"w":1}', '{}', '{}',
                              $4, $5, true, false, NULL, NULL, 30, 10000, $6, NULL)`,
      [id, ownerId, JSON.stringify({ x: cx * 128 + 3, y: 0, z: 3 }), WALL.maxHealth, WALL.decayPerHour, at],
    );
    return id;
  };
  const structure = async (id: string) =>
    (
      await pool.query<{ health: number; decay_applied_at: Date }>(
        'SELECT health, decay_applied_at FROM structures WHERE id = $1',
        [id],
      )
    ).rows[0];

  it('applies a structure_decay job once, however often it is submitted', async () => {
    // Placed a day ahead: the repeating scan (real clock) never touches it, only this job's tick.
    const placedAt = new Date(Date.now() + 86_400_000);
    const wall = await place(7, placedAt);
    const tick = new Date(placedAt.getTime() + 3_600_000).toISOString();
    const payload = { chunkX: 7, chunkZ: 0, tick };
    const jobId = await producer.enqueue('structure_decay', payload);
    const result = await waitFor('the decay job', async () => {
      const job = await producer.job('structure_decay', jobId);
      if ((await job?.getState()) !== 'completed') return undefined;
      // Read it again: a job that completed between the read and getState() has no result in the first.
      return (await producer.job('structure_decay', jobId))?.returnvalue as DecayChunkView;
    });
    assert.deepEqual([result.processed, result.decayed, result.destroyed], [1, 1, 0]);
    assert.equal(await producer.enqueue('structure_decay', payload), jobId, 'the same job id: one job');
    const after = await structure(wall);
    assert.ok(Math.abs(after.health - (WALL.maxHealth - WALL.decayPerHour)) < 1e-6, `${after.health}`);
    assert.equal(after.decay_applied_at.toISOString(), tick);
  });

  it('runs the scan: lapsed chunks get a job each, and the worker decays them to the scan tick', async () => {
    const placedAt = new Date(Date.now() - 3_600_000);
    const lapsed = await place(9, placedAt);
    const paid = await place(11, placedAt);
    await pool.query('UPDATE structures SET upkeep_paid_until = $2 WHERE id = $1', [
      paid,
      new Date(Date.now() + 86_400_000),
    ]);
    const schedules = createQueue('schedules', { connection, redisKeyPrefix: cluster.ns.redisKeyPrefix });
    try {
      // A run outside the repeat cadence stands for the moment it was added (scheduledTick).
      const job = await schedules.add('structures.decay-scan', { schedule: 'structures.decay-scan' });
      const tick = new Date(job.timestamp).toISOString();
      // The repeating scan may also fire meanwhile (every 10 min on the clock): decay is then
      // applied to its later tick, which is just as right.
      const decayed = await waitFor('decay of the lapsed chunk', async () => {
        const row = await structure(lapsed);
        return row.decay_applied_at.getTime() >= job.timestamp ? row : undefined;
      });
      const hours = (decayed.decay_applied_at.getTime() - placedAt.getTime()) / 3_600_000;
      assert.ok(Math.abs(decayed.health - (WALL.maxHealth - hours * WALL.decayPerHour)) < 1e-6);
      const decayJob = await producer.job('structure_decay', `decay.9.0.${tick.replace(/[-:]/g, '')}`);
      assert.ok(decayJob, 'one job for chunk (9, 0) at the scan tick');
      assert.equal(
        await producer.job('structure_decay', `decay.11.0.${tick.replace(/[-:]/g, '')}`),
        undefined,
      );
      const paidRow = await structure(paid);
      assert.equal(paidRow.health, WALL.maxHealth, 'paid upkeep: no job, no decay');
    } finally {
      await schedules.close();
    }
  });
});
