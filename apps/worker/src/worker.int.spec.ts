import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { INestApplication } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { loadConfig } from '@trustno1/config';
import { startService } from '@trustno1/host';
import {
  createQueue,
  createQueueConnection,
  PROCESSING_QUEUES,
  SCHEDULES,
  SCHEDULES_QUEUE,
} from '@trustno1/queues';
import {
  createTestDatabase,
  createTestNamespace,
  hasRedisServerBinary,
  startThrowawayRedis,
  testInfra,
  type TestDatabase,
  type ThrowawayRedis,
  type TestNamespace,
} from '@trustno1/testing';
import { workerAppConfigSchema, type WorkerAppConfig } from './worker.config';
import { WorkerRuntime } from './runtime/worker-runtime';
import { WorkerModule } from './worker.module';

const ROOT = join(__dirname, '..', '..', '..');

function workerEnv(db: TestDatabase, ns: TestNamespace, archiveDir: string): Record<string, string> {
  const infra = testInfra();
  return {
    DATABASE_URL: db.url,
    REDIS_URL: infra.redisUrl,
    NATS_URL: infra.natsUrl,
    REDIS_KEY_PREFIX: ns.redisKeyPrefix,
    NATS_SUBJECT_PREFIX: ns.natsSubjectPrefix,
    EVENTS_STREAM: ns.eventsStream,
    HEALTH_PORT: '0',
    ARCHIVE_DIR: archiveDir,
    LOG_LEVEL: 'warn',
  };
}

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('worker app (in process)', () => {
  let db: TestDatabase;
  let ns: TestNamespace;
  let archiveDir: string;
  let app: INestApplication | undefined;
  let connection: Redis;
  let schedules: Queue;
  let base: string;

  beforeAll(async () => {
    ns = createTestNamespace();
    [db, archiveDir] = await Promise.all([createTestDatabase(), mkdtemp(join(tmpdir(), 'tn1-worker-'))]);
    connection = createQueueConnection(testInfra().redisUrl, 'worker-spec');
    schedules = createQueue('schedules', { connection, redisKeyPrefix: ns.redisKeyPrefix });
    // Left behind by an older deployment: the worker must remove a scheduler the table disables.
    await schedules.upsertJobScheduler('chunks.compress', { every: 60_000 }, { name: 'chunks.compress' });

    const config = loadConfig(workerAppConfigSchema, workerEnv(db, ns, archiveDir)) as WorkerAppConfig;
    app = await startService({
      app: 'worker',
      config,
      natsServer: false,
      handleSignals: false,
      imports: [WorkerModule.forRoot(config)],
    });
    const { port } = app.getHttpServer().address() as AddressInfo;
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await app?.close();
    await schedules.close();
    await connection.quit();
    await ns.cleanup();
    await db.drop();
    await rm(archiveDir, { recursive: true, force: true });
  });

  it('is ready, with a queues check', async () => {
    const response = await fetch(`${base}/health/ready`);
    const body = (await response.json()) as { checks: Record<string, { status: string }> };
    assert.equal(response.status, 200, JSON.stringify(body));
    assert.equal(body.checks.queues?.status, 'up');
  });

  it('registers exactly the enabled schedules, once, under the test prefix', async () => {
    const registered = (await schedules.getJobSchedulers()).map((s) => s.key).sort();
    const enabled = SCHEDULES.filter((s) => s.enabled)
      .map((s) => s.name)
      .sort();
    assert.deepEqual(registered, enabled);
  });

  it('runs partitions.ensure at boot and counts it in the metrics', async () => {
    const completed =
      /tn1_jobs_total\{[^}]*queue="schedules\/partitions\.ensure"[^}]*outcome="completed"[^}]*\} 1\b/;
    await waitFor('the boot run of partitions.ensure', async () =>
      completed.test(await (await fetch(`${base}/metrics`)).text()),
    );
  });

  it('exports the job counts of every served queue by state', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    for (const state of ['waiting', 'active', 'delayed', 'failed']) {
      assert.match(
        text,
        new RegExp(`tn1_queue_jobs\\{[^}]*queue="schedules"[^}]*state="${state}"[^}]*\\} \\d+`),
      );
    }
  });

  it('closes cleanly: workers stop and the health port is gone', async () => {
    const runtime = app!.get(WorkerRuntime);
    // Every seed queue has its processor now, so by default the worker serves them all.
    const served = [...PROCESSING_QUEUES, SCHEDULES_QUEUE];
    assert.deepEqual(
      runtime.status(),
      served.map((queue) => ({ queue, running: true })),
    );
    await app!.close();
    app = undefined;
    assert.deepEqual(
      runtime.status(),
      served.map((queue) => ({ queue, running: false })),
    );
    await assert.rejects(fetch(`${base}/health/ready`));
  });
});

/** Runs apps/worker/src/main.ts as a real process and returns its exit code and output. */
function runMain(
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/worker/src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // A worker that starts instead of refusing would run forever: stop it and report it.
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const hasRedisServer = hasRedisServerBinary();
/** Skipped, not failed, where no `redis-server` binary exists to start a throwaway server. */
const itWithRedisServer = hasRedisServer ? it : it.skip;

describe('worker process refuses to start', () => {
  let db: TestDatabase;
  let ns: TestNamespace;
  let archiveDir: string;
  let lru: ThrowawayRedis | undefined;

  beforeAll(async () => {
    ns = createTestNamespace();
    [db, archiveDir] = await Promise.all([createTestDatabase(), mkdtemp(join(tmpdir(), 'tn1-worker-'))]);
    if (hasRedisServer) lru = await startThrowawayRedis(['--maxmemory-policy', 'allkeys-lru']);
  });

  afterAll(async () => {
    await lru?.stop();
    await ns.cleanup();
    await db.drop();
    await rm(archiveDir, { recursive: true, force: true });
  });

  // "A served queue without a processor" can no longer happen in this worker: every seed queue
  // has one (asserted above). ProcessorRegistry's refusal is covered in libs/queues registry.spec.

  it('when WORKER_QUEUES names an unknown queue', async () => {
    const { code, output } = await runMain({
      ...workerEnv(db, ns, archiveDir),
      WORKER_QUEUES: 'schedules,loot',
    });
    assert.equal(code, 1, output);
    assert.match(output, /WORKER_QUEUES: unknown queue loot/);
  });

  itWithRedisServer('when the BullMQ Redis is not noeviction', async () => {
    const url = lru!.url;
    const { code, output } = await runMain({ ...workerEnv(db, ns, archiveDir), QUEUE_REDIS_URL: url });
    assert.equal(code, 1, output);
    assert.match(
      output,
      /QUEUE_REDIS_URL \(redis:\/\/127\.0\.0\.1:\d+\/?\) has maxmemory-policy \\?"allkeys-lru\\?"/,
    );
  });
});
