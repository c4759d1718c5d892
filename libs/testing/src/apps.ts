import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { devNatsPassword } from '@trustno1/config';
import type { TestDatabase } from './database';
import { testInfra } from './infra';
import type { TestNamespace } from './namespaces';

const ROOT = join(__dirname, '../../..');

export type AppName =
  'gateway' | 'accounts' | 'world' | 'inventory' | 'combat' | 'market' | 'factions' | 'seasons' | 'worker';

/** An app running as its own process, as in production. */
export interface RunningApp {
  name: AppName;
  port: number;
  url: string;
  process: ChildProcess;
  /** Everything the process wrote, for assertions and for debugging a failed test. */
  output(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** Sends SIGTERM and waits for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash, nothing runs on the way out. */
  kill(): Promise<number | null>;
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** The environment an app needs to run against this test file's database and namespace. */
export function appEnv(
  db: TestDatabase,
  ns: TestNamespace,
  extra: Record<string, string> = {},
): Record<string, string> {
  const infra = testInfra();
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    // Each app as its own role (tn1_<app>), so every end-to-end test also proves the grants.
    DATABASE_URL: db.url,
    DATABASE_OWN_ROLE: 'true',
    DATABASE_POOL_SIZE: '4',
    REDIS_URL: infra.redisUrl,
    // Without credentials: startApp gives each app its own NATS user.
    NATS_URL: infra.natsServerUrl,
    REDIS_KEY_PREFIX: ns.redisKeyPrefix,
    NATS_SUBJECT_PREFIX: ns.natsSubjectPrefix,
    EVENTS_STREAM: ns.eventsStream,
    SHUTDOWN_GRACE_MS: '3000',
    // Every simulated client of a test shares 127.0.0.1, and the bad-credential matrices fail on
    // purpose: the failed-authentication limit has its own spec, which sets it low.
    RATE_LIMIT_FAILED_AUTH_PER_MINUTE: '100000',
    ...extra,
  };
}

/**
 * `TN1_CPU_PROF_DIR=/tmp/prof npm run bench`: each app started here writes a V8 CPU profile
 * there when it stops gracefully (open it in Chrome DevTools or speedscope).
 */
function profileArgs(): string[] {
  const dir = process.env.TN1_CPU_PROF_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/**
 * Starts `apps/<name>/src/main.ts` in a child process on a free port and waits until
 * `/health/live` answers (or the process dies, which rejects with its output).
 */
export async function startApp(
  name: AppName,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<RunningApp> {
  const port = await freePort();
  const portVar = name === 'gateway' ? 'HTTP_PORT' : 'HEALTH_PORT';
  const child = spawn(
    process.execPath,
    [...profileArgs(), '-r', '@swc-node/register', join(ROOT, `apps/${name}/src/main.ts`)],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        // Its own NATS user, as in a deployment (the suite's NATS server requires one).
        NATS_USER: name,
        NATS_PASSWORD: devNatsPassword(name),
        ...env,
        [portVar]: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const app: RunningApp = {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    process: child,
    output: () => output,
    exited,
    stop: () => signal(child, exited, 'SIGTERM'),
    kill: () => signal(child, exited, 'SIGKILL'),
  };
  await waitLive(app, timeoutMs);
  return app;
}

async function signal(
  child: ChildProcess,
  exited: Promise<number | null>,
  sig: NodeJS.Signals,
): Promise<number | null> {
  if (child.exitCode === null && child.signalCode === null) child.kill(sig);
  return exited;
}

async function waitLive(app: RunningApp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let dead = false;
  void app.exited.then(() => (dead = true));
  while (Date.now() < deadline) {
    if (dead) throw new Error(`${app.name} exited during start-up:\n${app.output()}`);
    try {
      const response = await fetch(`${app.url}/health/live`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  await app.kill();
  throw new Error(`${app.name} did not become live within ${timeoutMs} ms:\n${app.output()}`);
}

/** Polls `/health/ready` until it returns `status` (200 or 503) or the timeout passes. */
export async function waitReady(url: string, status = 200, timeoutMs = 30_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const response = await fetch(`${url}/health/ready`).catch(() => undefined);
    if (response) {
      last = await response.json();
      if (response.status === status) return last;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(
    `${url}/health/ready did not answer ${status} within ${timeoutMs} ms; last: ${JSON.stringify(last)}`,
  );
}
