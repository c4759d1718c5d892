import { createRedisClient } from '@trustno1/redis';
import { testInfra, uniqueToken } from './infra';

/** A Redis key prefix and a NATS subject prefix/stream of this test file's own. */
export interface TestNamespace {
  token: string;
  redisKeyPrefix: string;
  natsSubjectPrefix: string;
  eventsStream: string;
  /** Deletes every Redis key under the prefix. */
  cleanup(): Promise<void>;
}

export function createTestNamespace(): TestNamespace {
  const token = uniqueToken();
  const redisKeyPrefix = `t${token}:`;
  return {
    token,
    redisKeyPrefix,
    natsSubjectPrefix: `t${token}.`,
    eventsStream: `EVENTS_t${token}`,
    cleanup: () => deleteRedisPrefix(redisKeyPrefix),
  };
}

async function deleteRedisPrefix(prefix: string): Promise<void> {
  const redis = createRedisClient({ url: testInfra().redisUrl, name: 'test-cleanup' });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
