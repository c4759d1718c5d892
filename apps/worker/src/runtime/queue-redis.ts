import { assertNoEviction, createQueueConnection, redactUrl } from '@trustno1/queues';

/**
 * Connects once to QUEUE_REDIS_URL and refuses a Redis that could evict jobs; run before the app
 * boots so a misconfigured cluster never takes work.
 */
export async function assertQueueRedis(url: string): Promise<void> {
  const client = createQueueConnection(url, 'worker-preflight');
  client.on('error', () => undefined); // the rejected connect below carries the reason
  try {
    await client.connect().catch((error: Error) => {
      throw new Error(`QUEUE_REDIS_URL (${redactUrl(url)}) is unreachable: ${error.message}`);
    });
    await assertNoEviction(client, url);
  } finally {
    client.disconnect();
  }
}
