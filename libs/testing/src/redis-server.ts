import { spawn, spawnSync } from 'node:child_process';
import { createRedisClient } from '@trustno1/redis';
import { freePort } from './apps';

/** A redis-server of one spec file's own, for what the shared one must not suffer (FLUSHALL, eviction). */
export interface ThrowawayRedis {
  url: string;
  stop(): Promise<void>;
}

/** True when a local `redis-server` binary exists (it does on the CI machine). */
export function hasRedisServerBinary(): boolean {
  return spawnSync('redis-server', ['--version']).status === 0;
}

/** Starts `redis-server` on a free loopback port, without persistence, and waits until it answers PING. */
export async function startThrowawayRedis(extraArgs: string[] = []): Promise<ThrowawayRedis> {
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    ...extraArgs,
  ];
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `redis://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  for (let attempt = 0; ; attempt++) {
    const probe = createRedisClient({ url, name: 'throwaway-probe' });
    probe.on('error', () => undefined); // refused until the server listens
    const answered = await probe
      .connect()
      .then(() => probe.ping())
      .then((reply) => reply === 'PONG')
      .catch(() => false);
    probe.disconnect();
    if (answered) return { url, stop };
    if (attempt >= 50) {
      await stop();
      throw new Error(`throwaway redis-server on port ${port} did not start`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
