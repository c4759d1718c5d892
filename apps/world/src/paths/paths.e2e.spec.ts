import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { Redis } from 'ioredis';
import type { PathJobView } from '@trustno1/contracts';
import { createQueueConnection, QueueProducer } from '@trustno1/queues';
import {
  registerServer,
  startCluster,
  TEST_ADMIN_KEY,
  testInfra,
  type TestCluster,
  fetchJson,
  type ErrorBody,
} from '@trustno1/testing';
import { CHUNK_SIZE, encodeTerrain, HEIGHTMAP_SIZE, SAMPLE_SPACING } from '@trustno1/world-domain';

const FLAT = 10;

describe('AI pathfinding: POST /v1/paths through the ai_pathfinding queue, GET by job id', () => {
  let cluster: TestCluster;
  let pool: Pool;
  let server: Record<string, string>;
  let other: Record<string, string>;
  let connection: Redis;
  let producer: QueueProducer;

  beforeAll(async () => {
    // The worker serves only ai_pathfinding: no schedules run in this file.
    cluster = await startCluster(['accounts', 'world', 'worker', 'gateway'], {
      WORKER_QUEUES: 'ai_pathfinding',
    });
    pool = cluster.pool;
    server = (await registerServer(cluster.url, TEST_ADMIN_KEY)).headers;
    other = (await registerServer(cluster.url, TEST_ADMIN_KEY)).headers;
    connection = createQueueConnection(testInfra().redisUrl, 'paths-test');
    producer = new QueueProducer({ connection, redisKeyPrefix: cluster.ns.redisKeyPrefix });
  });
  afterAll(async () => {
    await producer?.close();
    connection?.disconnect();
    await cluster?.stop();
  });

  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = server) =>
    fetchJson(cluster.url, method, path, body, headers);

  /** Stores the 3 × 3 chunks around (cx, cz) with heights from `height(worldX, worldZ)`. */
  const storeTerrain = async (cx: number, cz: number, height: (x: number, z: number) => number) => {
    for (let x = cx - 1; x <= cx + 1; x++)
      for (let z = cz - 1; z <= cz + 1; z++) {
        const heights = new Float32Array(HEIGHTMAP_SIZE * HEIGHTMAP_SIZE);
        for (let j = 0; j < HEIGHTMAP_SIZE; j++)
          for (let i = 0; i < HEIGHTMAP_SIZE; i++)
            heights[j * HEIGHTMAP_SIZE + i] = height(
              x * CHUNK_SIZE + i * SAMPLE_SPACING,
              z * CHUNK_SIZE + j * SAMPLE_SPACING,
            );
        await pool.query(
          `INSERT INTO world_chunks (x, z, biome_type, terrain_data, resource_nodes) VALUES ($1, $2, 'grassland', $3, '[]')`,
          [x, z, encodeTerrain({ size: HEIGHTMAP_SIZE, spacing: SAMPLE_SPACING, heights })],
        );
      }
  };
  const structureAt = (x: number, z: number) =>
    pool.query(
      `INSERT INTO structures (id, chunk_x, chunk_z, position, rotation, structure_type, health, max_health,
                               build_data, permissions)
       VALUES ($1, $2, $3, $4::jsonb, '{"x":0,"y":0,"z":0,"w":1}', 'wall_stone', 500, 500, '{}', '{}')`,
      [
        randomUUID(),
        Math.floor(x / CHUNK_SIZE),
        Math.floor(z / CHUNK_SIZE),
        JSON.stringify({ x, y: FLAT, z }),
      ],
    );
  const requestPath = async (
    from: { x: number; z: number },
    to: { x: number; z: number },
    headers = server,
  ) => {
    const response = await call('POST', '/v1/paths', { from, to }, headers);
    assert.equal(response.status, 202);
    return ((await response.json()) as { jobId: string }).jobId;
  };
  const finished = async (jobId: string, headers = server) => {
    for (let i = 0; i < 300; i++) {
      const response = await call('GET', `/v1/paths/${jobId}`, undefined, headers);
      assert.equal(response.status, 200);
      const view = (await response.json()) as PathJobView;
      assert.equal(view.jobId, jobId);
      assert.ok(['queued', 'running', 'done', 'failed'].includes(view.status));
      if (view.status === 'done' || view.status === 'failed') return view;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`path job ${jobId} did not finish`);
  };
  const jobCount = async () => {
    const counts = await producer.queue('ai_pathfinding').getJobCounts();
    return Object.values(counts).reduce((a, b) => a + b, 0);
  };

  it('finds the known straight path over flat stored terrain, and the same request finds the same job', async () => {
    const [cx, cz] = [3000, 3000];
    await storeTerrain(cx, cz, () => FLAT);
    const [x0, z0] = [cx * CHUNK_SIZE, cz * CHUNK_SIZE];
    const from = { x: x0 + 10, z: z0 + 10 };
    const to = { x: x0 + 50, z: z0 + 10 };
    const jobId = await requestPath(from, to);
    assert.equal(await requestPath(from, to), jobId);
    const view = await finished(jobId);
    assert.equal(view.status, 'done');
    assert.equal(view.length, 40);
    assert.equal(view.path?.length, 21);
    assert.deepEqual(view.path?.[0], { x: from.x, y: FLAT, z: from.z });
    assert.deepEqual(view.path?.at(-1), { x: to.x, y: FLAT, z: to.z });
    for (const p of view.path ?? []) assert.equal(p.z, z0 + 10);
    // Another server neither sees the job nor shares it.
    assert.equal((await call('GET', `/v1/paths/${jobId}`, undefined, other)).status, 404);
    assert.notEqual(await requestPath(from, to, other), jobId);
  });

  it('walks round a structure in the way, and reports a goal walled in by structures as unreachable', async () => {
    const [cx, cz] = [3010, 3010];
    await storeTerrain(cx, cz, () => FLAT);
    const [x0, z0] = [cx * CHUNK_SIZE, cz * CHUNK_SIZE];
    await structureAt(x0 + 30, z0 + 10);
    const around = await finished(await requestPath({ x: x0 + 10, z: z0 + 10 }, { x: x0 + 50, z: z0 + 10 }));
    assert.equal(around.status, 'done');
    assert.ok((around.length ?? 0) > 40);
    for (const p of around.path ?? [])
      assert.ok(
        Math.abs(p.x - (x0 + 30)) > 1.5 || Math.abs(p.z - (z0 + 10)) > 1.5,
        `${p.x},${p.z} is inside`,
      );

    const goal = { x: x0 + 80, z: z0 + 60 };
    for (let d = -4; d <= 4; d += 2)
      for (const [dx, dz] of [
        [d, -4],
        [d, 4],
        [-4, d],
        [4, d],
      ])
        await structureAt(goal.x + dx, goal.z + dz);
    const walled = await finished(await requestPath({ x: x0 + 20, z: z0 + 60 }, goal));
    assert.deepEqual([walled.status, walled.reason, walled.path], ['failed', 'unreachable', undefined]);
  });

  it('avoids a steep ridge and goes through its gap, though climbing it would be shorter', async () => {
    const [cx, cz] = [3020, 3020];
    const [x0, z0] = [cx * CHUNK_SIZE, cz * CHUNK_SIZE];
    const ridge = (x: number, z: number) =>
      x >= x0 + 30 && x <= x0 + 34 && !(z >= z0 + 60 && z <= z0 + 70) ? 100 : FLAT;
    await storeTerrain(cx, cz, ridge);
    const view = await finished(await requestPath({ x: x0 + 10, z: z0 + 20 }, { x: x0 + 60, z: z0 + 20 }));
    assert.equal(view.status, 'done');
    for (const p of view.path ?? []) assert.equal(p.y, FLAT, `${p.x},${p.z} climbs`);
    assert.ok(
      view.path?.some((p) => p.z >= z0 + 60),
      'through the gap',
    );
    assert.ok((view.length ?? 0) > 2 * 40);
  });

  for (const [label, body, field] of [
    ['a goal 600 units away', { from: { x: 0, z: 0 }, to: { x: 600, z: 0 } }, 'to'],
    ['a coordinate as a string', { from: { x: '0', z: 0 }, to: { x: 1, z: 1 } }, 'from.x'],
    ['a coordinate off the map', { from: { x: 0, z: 1e12 }, to: { x: 1, z: 1 } }, 'from.z'],
    ['no goal', { from: { x: 0, z: 0 } }, 'to'],
    ['a y coordinate', { from: { x: 0, y: 1, z: 0 }, to: { x: 1, z: 1 } }, 'from.y'],
    ['an unknown field', { from: { x: 0, z: 0 }, to: { x: 1, z: 1 }, fast: true }, 'fast'],
  ] as [string, Record<string, unknown>, string][]) {
    it(`refuses a path request with ${label}: 400 naming ${field}, no job queued`, async () => {
      const before = await jobCount();
      const response = await call('POST', '/v1/paths', body);
      assert.equal(response.status, 400);
      const error = (await response.json()) as ErrorBody;
      assert.equal(error.error.code, 'VALIDATION_FAILED');
      assert.deepEqual(
        error.error.details?.fields?.map((f) => f.field),
        [field],
      );
      assert.equal(await jobCount(), before);
    });
  }

  it('honours Idempotency-Key: the stored job id again without a second job; another body under the key is 409', async () => {
    const [cx, cz] = [3200, 3200];
    await storeTerrain(cx, cz, () => FLAT);
    const [x0, z0] = [cx * CHUNK_SIZE, cz * CHUNK_SIZE];
    const headers = { ...server, 'idempotency-key': randomUUID() };
    const body = { from: { x: x0 + 4, z: z0 + 4 }, to: { x: x0 + 20, z: z0 + 4 } };
    const first = await call('POST', '/v1/paths', body, headers);
    assert.equal(first.status, 202);
    const { jobId } = (await first.json()) as { jobId: string };
    assert.equal((await finished(jobId)).status, 'done');
    // With the job gone from the queue, only a replay of the stored answer can give its id back
    // without queueing it again.
    await producer.queue('ai_pathfinding').remove(jobId);
    const before = await jobCount();
    const replayed = await call('POST', '/v1/paths', body, headers);
    assert.equal(replayed.status, 202);
    assert.deepEqual(await replayed.json(), { jobId });
    assert.equal(await jobCount(), before);
    assert.equal(await producer.job('ai_pathfinding', jobId), undefined);
    // Another body under the same key: 409, nothing queued.
    const reused = await call('POST', '/v1/paths', { ...body, to: { x: x0 + 30, z: z0 + 4 } }, headers);
    assert.equal(reused.status, 409);
    assert.equal(((await reused.json()) as ErrorBody).error.code, 'IDEMPOTENCY_KEY_REUSED');
    assert.equal(await jobCount(), before);
    // The same key from another server is that server's own key: its request is queued.
    const theirs = await call('POST', '/v1/paths', body, {
      ...other,
      'idempotency-key': headers['idempotency-key'],
    });
    assert.equal(theirs.status, 202);
    assert.notEqual(((await theirs.json()) as { jobId: string }).jobId, jobId);
  });

  it('answers 400 for a malformed job id and 404 for an unknown one; players and strangers are refused', async () => {
    const bad = await call('GET', '/v1/paths/path.xyz');
    assert.equal(bad.status, 400);
    assert.deepEqual(
      ((await bad.json()) as ErrorBody).error.details?.fields?.map((f) => f.field),
      ['jobId'],
    );
    assert.equal((await call('GET', `/v1/paths/path.${'0'.repeat(32)}`)).status, 404);
    const before = await jobCount();
    const body = { from: { x: 0, z: 0 }, to: { x: 10, z: 0 } };
    assert.equal((await call('POST', '/v1/paths', body, {})).status, 401);
    assert.equal((await call('GET', `/v1/paths/path.${'0'.repeat(32)}`, undefined, {})).status, 401);
    assert.equal(await jobCount(), before);
  });
});
