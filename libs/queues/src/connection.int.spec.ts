import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { assertNoEviction, createQueueConnection, QueueRedisPolicyError, redactUrl } from '@trustno1/queues';
import { hasRedisServerBinary, startThrowawayRedis, testInfra, type ThrowawayRedis } from '@trustno1/testing';

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

const hasRedisServer = hasRedisServerBinary();
/** Skipped, not failed, where no `redis-server` binary exists to start a throwaway server. */
const itWithRedisServer = hasRedisServer ? it : it.skip;

describe('assertNoEviction against real servers', () => {
  let lru: ThrowawayRedis | undefined;

  beforeAll(async () => {
    if (hasRedisServer) lru = await startThrowawayRedis(['--maxmemory-policy', 'allkeys-lru']);
  });

  afterAll(() => lru?.stop());

  itWithRedisServer('refuses a throwaway redis-server running allkeys-lru', async () => {
    const url = lru!.url;
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
  });

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
