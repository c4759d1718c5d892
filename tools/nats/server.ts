/**
 * Starts a local nats-server with authentication on (the users of a generated authorization file,
 * with their development passwords) and JetStream: for the test suite, `npm run nats` and
 * `npm run dev`. Relative imports only: Jest's global setup loads this outside its module mapping.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { join } from 'node:path';
import { devNatsPasswordEnvFor } from '../../libs/config/src/nats-credentials';

export const ROOT = join(__dirname, '..', '..');
/** The deployments' users: what `npm run nats` and `npm run dev` serve. */
export const DEPLOYED_AUTH = join(ROOT, 'k8s/base/nats/auth.conf');
/** The same users, subjects also under a test file's isolation prefix. */
export const TEST_AUTH = join(ROOT, 'tools/nats/test-auth.conf');
/** Where `npm run nats` (and `npm run dev` without NATS_URL) serves: beside a system NATS on 4222. */
export const LOCAL_NATS_PORT = Number(process.env.TN1_NATS_PORT || 4223);

export interface LocalNatsOptions {
  /** The generated authorization file to include. */
  authFile: string;
  port: number;
  /** Holds the configuration, JetStream's files, the log and (detached) the pid file. */
  dir: string;
  /** Keep running after this process exits (`npm run nats`). */
  detached?: boolean;
}

export interface LocalNats {
  /** Without credentials: each client adds its own user (`natsUrlWithCredentials`). */
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export function natsServerBinary(): string | undefined {
  for (const candidate of ['nats-server', '/usr/sbin/nats-server', '/usr/local/bin/nats-server']) {
    if (spawnSync(candidate, ['--version']).status === 0) return candidate;
  }
  return undefined;
}

/** Resolves when something accepts TCP connections on 127.0.0.1:port. */
export function listening(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, '127.0.0.1', () => done(true));
  });
}

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Writes the server's configuration into `dir` and starts it; resolves once it listens. */
export async function startLocalNats(options: LocalNatsOptions): Promise<LocalNats> {
  const binary = natsServerBinary();
  if (!binary) {
    throw new Error(
      'nats-server was not found. Install it (Debian: apt-get install nats-server) or run NATS from\n' +
        '  docker-compose.yml (docker compose up -d nats), which has the same users.',
    );
  }
  mkdirSync(join(options.dir, 'jetstream'), { recursive: true });
  const auth = readFileSync(options.authFile, 'utf8');
  writeFileSync(join(options.dir, 'auth.conf'), auth);
  const configFile = join(options.dir, 'nats.conf');
  writeFileSync(
    configFile,
    [
      "# Written by tools/nats/server.ts: a local server with the platform's NATS users.",
      'host: 127.0.0.1',
      `port: ${options.port}`,
      `jetstream { store_dir: "${join(options.dir, 'jetstream')}" }`,
      'max_payload: 1MB',
      'include ./auth.conf',
      '',
    ].join('\n'),
  );
  const log = openSync(join(options.dir, 'nats-server.log'), 'a');
  const child: ChildProcess = spawn(binary, ['-c', configFile], {
    env: { PATH: process.env.PATH ?? '', ...devNatsPasswordEnvFor(auth) },
    stdio: ['ignore', log, log],
    detached: options.detached ?? false,
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let dead = false;
  void exited.then(() => (dead = true));
  for (let attempt = 0; !(await listening(options.port)); attempt++) {
    if (dead || attempt > 100) {
      child.kill('SIGKILL');
      const tail = readFileSync(join(options.dir, 'nats-server.log'), 'utf8')
        .split('\n')
        .slice(-10)
        .join('\n');
      throw new Error(`nats-server did not start on port ${options.port}:\n${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (options.detached) {
    writeFileSync(join(options.dir, 'nats-server.pid'), String(child.pid));
    child.unref();
  }
  return {
    url: `nats://127.0.0.1:${options.port}`,
    pid: child.pid ?? 0,
    stop: async () => {
      if (!dead) child.kill('SIGTERM');
      await exited;
    },
  };
}
