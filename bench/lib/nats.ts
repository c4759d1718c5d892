import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort, startLocalNats, TEST_AUTH } from '../../tools/nats/server';

/**
 * Benchmarks measure what runs: NATS with authentication and subject permissions. Unless NATS_URL
 * names a server, one is started here (the test suite's users, bench prefixes allowed) and
 * NATS_URL points at it for everything the run starts; the returned function stops it.
 */
export async function authenticatedNatsForRun(): Promise<() => Promise<void>> {
  if (process.env.NATS_URL) return async () => {};
  const dir = mkdtempSync(join(tmpdir(), 'tn1-bench-nats-'));
  const server = await startLocalNats({ authFile: TEST_AUTH, port: await freeLoopbackPort(), dir });
  process.env.NATS_URL = server.url;
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
