import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, it } from '@jest/globals';
import type { Pool, PoolClient } from 'pg';
import {
  createBusTestEnv,
  quietLogger,
  readStream,
  streamMessageCount,
  waitFor,
} from '../testing/bus-test-env';
import type { BusTestEnv } from '../testing/bus-test-env';
import { enqueueEvent } from './enqueue';
import { OutboxRelay } from './relay';
import type { OutboxRelayOptions } from './relay';

const SUBJECT = 'evt.test.thing.happened.v1';

describe('outbox relay', () => {
  let env: BusTestEnv;
  const relays: OutboxRelay[] = [];

  beforeAll(async () => {
    env = await createBusTestEnv();
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await env.pool.query('TRUNCATE outbox');
  });
  afterAll(async () => {
    await env?.cleanup();
  });

  /** A relay on this file's database, stream and prefix, stopped after each test. */
  function relay(overrides: Partial<OutboxRelayOptions> = {}, Relay = OutboxRelay): OutboxRelay {
    const r = new Relay({
      pool: env.pool,
      natsUrl: env.natsUrl,
      streamName: env.streamName,
      subjectPrefix: env.prefix,
      logger: quietLogger,
      ...overrides,
    });
    relays.push(r);
    return r;
  }

  it('rolls back with the transaction: an aborted event is never published', async () => {
    await inTransaction(env.pool, async (tx) => {
      await enqueueEvent(tx, SUBJECT, { n: 0 });
      throw new Error('abort');
    }).catch(() => undefined);
    await relay().drainOnce();
    assert.equal(await unpublished(env.pool), 0);
    assert.equal(await streamMessageCount(env.streamName), 0);
  });

  it('refuses a subject the events stream would not capture', async () => {
    await assert.rejects(enqueueEvent(env.pool, 'inventory.item.move.v1', {}), /evt\.<domain>/);
    assert.equal(await unpublished(env.pool), 0);
  });

  it('wakes on NOTIFY long before the poll interval', async () => {
    const before = await streamMessageCount(env.streamName);
    relay({ pollIntervalMs: 60_000 }).start();
    await new Promise((r) => setTimeout(r, 300)); // let it LISTEN and fall asleep
    const id = await inTransaction(env.pool, (tx) => enqueueEvent(tx, SUBJECT, { woke: true }));
    await waitFor(
      async () => (await streamMessageCount(env.streamName)) === before + 1,
      3_000,
      'woken relay',
    );
    const stored = await readStream(env.streamName);
    assert.deepEqual(stored.at(-1), { msgId: id, subject: `${env.prefix}${SUBJECT}`, data: { woke: true } });
  });

  it('keeps events while NATS is unreachable and delivers them once it is back', async () => {
    const port = await freePort();
    const natsUrl = `nats://127.0.0.1:${port}`;
    const r = relay({ natsUrl, pollIntervalMs: 50, maxBackoffMs: 300 });
    r.start();
    const id = await inTransaction(env.pool, (tx) => enqueueEvent(tx, SUBJECT, { survived: 'outage' }));
    await waitFor(() => r.stats.failures >= 3, 5_000, 'relay retries');
    assert.equal(await unpublished(env.pool), 1, 'the row stays until a publish succeeds');

    const server = startNatsServer(port);
    try {
      await waitFor(async () => (await unpublished(env.pool)) === 0, 10_000, 'delivery after outage');
      const stored = await readStream(env.streamName, natsUrl);
      assert.deepEqual(stored, [
        { msgId: id, subject: `${env.prefix}${SUBJECT}`, data: { survived: 'outage' } },
      ]);
    } finally {
      await stopNatsServer(server);
    }
  });

  it('a relay that crashes between publish and mark publishes nothing twice downstream', async () => {
    const before = await streamMessageCount(env.streamName);
    const ids = await enqueueMany(env.pool, 20);
    const crashing = relay({}, CrashBeforeMarkRelay);
    await assert.rejects(crashing.drainOnce(), /crash before mark/);
    assert.equal(await unpublished(env.pool), 20, 'the crash rolled back the marks');
    assert.equal(crashing.stats.published, 20, 'but everything was sent');

    const restarted = relay();
    assert.equal(await restarted.drainOnce(), 20);
    assert.equal(restarted.stats.duplicates, 20, 'every re-send was recognised by the stream');
    assert.equal(await unpublished(env.pool), 0);
    assert.equal(await streamMessageCount(env.streamName), before + 20);
    assertEachOnce((await readStream(env.streamName)).slice(before), ids);
  });

  it('two relays running concurrently never publish a row twice', async () => {
    const before = await streamMessageCount(env.streamName);
    const a = relay({ batchSize: 10, pollIntervalMs: 5 });
    const b = relay({ batchSize: 10, pollIntervalMs: 5 });
    const first = await enqueueMany(env.pool, 200);
    a.start();
    b.start();
    const rest = await Promise.all([1, 2, 3, 4].map(() => enqueueMany(env.pool, 50)));
    const ids = [...first, ...rest.flat()];
    await waitFor(async () => (await unpublished(env.pool)) === 0, 20_000, 'both relays to drain');
    assert.equal(a.stats.duplicates + b.stats.duplicates, 0, 'no row was sent by both');
    assert.equal(a.stats.published + b.stats.published, 400);
    assert.ok(a.stats.published > 0 && b.stats.published > 0, 'both relays took a share');
    assert.equal(await streamMessageCount(env.streamName), before + 400);
    assertEachOnce((await readStream(env.streamName)).slice(before), ids);
  });
});

/** Publishes, then dies before the marks commit (first run only). */
class CrashBeforeMarkRelay extends OutboxRelay {
  protected override async markPublished(): Promise<void> {
    throw new Error('crash before mark');
  }
}

function assertEachOnce(stored: { msgId: string }[], ids: string[]): void {
  const seen = stored.map((m) => m.msgId).sort();
  assert.deepEqual(seen, [...ids].sort());
}

async function enqueueMany(pool: Pool, n: number): Promise<string[]> {
  return inTransaction(pool, async (tx) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push(await enqueueEvent(tx, SUBJECT, { i }));
    return ids;
  });
}

async function inTransaction<T>(pool: Pool, fn: (tx: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

async function unpublished(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
  );
  return rows[0].n;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

// A private JetStream server that the test can start late (the "outage" ends).
function startNatsServer(port: number): ChildProcess & { dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tn1-nats-'));
  const proc = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], {
    stdio: 'ignore',
  });
  return Object.assign(proc, { dir });
}

async function stopNatsServer(server: ChildProcess & { dir: string }): Promise<void> {
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  await exited;
  rmSync(server.dir, { recursive: true, force: true });
}
