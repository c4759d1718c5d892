import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { assertNoEviction, createQueueConnection, QueueRedisPolicyError, redactUrl } from '@trustno1/queues';
import { testInfra } from '@trustno1/testing';

/** The smallest stand-in for a client: answers CONFIG GET like Redis does. */
function fakeClient(reply: string[] | Error): Pick<Redis, 'config'> {
  return {
    config: async () => {
      if (reply instanceof Error) throw reply;
      return reply;
    },
  };
}

describe('assertNoEviction (unit)', () => {
  it('accepts noeviction', async () => {
    await assertNoEviction(fakeClient(['maxmemory-policy', 'noeviction']), 'redis://q:6379');
  });

  it('refuses any other policy, naming QUEUE_REDIS_URL and the policy', async () => {
    await assert.rejects(
      assertNoEviction(fakeClient(['maxmemory-policy', 'allkeys-lru']), 'redis://q:6379'),
      (error) => {
        assert.ok(error instanceof QueueRedisPolicyError);
        assert.match(
          error.message,
          /QUEUE_REDIS_URL \(redis:\/\/q:6379\) has maxmemory-policy "allkeys-lru"/,
        );
        assert.match(error.message, /noeviction/);
        return true;
      },
    );
  });

  it('refuses when the policy cannot be read, without leaking the password', async () => {
    await assert.rejects(
      assertNoEviction(fakeClient(new Error('ERR unknown command CONFIG')), 'redis://user:hunter2@q:6379'),
      (error: Error) =>
        /unreadable: ERR unknown command CONFIG/.test(error.message) && !error.message.includes('hunter2'),
    );
    assert.equal(redactUrl('redis://:s3cret@h:1/0'), 'redis://:***@h:1/0');
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

describe('assertNoEviction against real servers', () => {
  let child: ChildProcess | undefined;
  let port = 0;

  before(async () => {
    if (!hasRedisServer) return;
    port = await freePort();
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--maxmemory-policy',
        'allkeys-lru',
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdio: 'ignore' },
    );
  });

  after(async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });

  it(
    'refuses a throwaway redis-server running allkeys-lru',
    { skip: !hasRedisServer && 'no redis-server binary' },
    async () => {
      const url = `redis://127.0.0.1:${port}`;
      const client = createQueueConnection(url, 'policy-spec');
      try {
        for (let attempt = 0; client.status !== 'ready'; attempt++) {
          await client.connect().catch(() => sleep(100));
          assert.ok(attempt < 50, 'throwaway redis-server did not start');
        }
        await assert.rejects(assertNoEviction(client, url), /maxmemory-policy "allkeys-lru"/);
      } finally {
        client.disconnect();
      }
    },
  );

  it("accepts the test run's Redis, which BullMQ needs to be noeviction", async () => {
    const url = testInfra().redisUrl;
    const client = createQueueConnection(url, 'policy-spec');
    try {
      await client.connect();
      await assertNoEviction(client, url);
    } finally {
      client.disconnect();
    }
  });
});
