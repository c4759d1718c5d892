/**
 * Accounts rows: a login through the gateway (HTTP POST /v1/sessions → NATS → accounts: account
 * lookup, lockout check, Argon2id verify, session in Redis) beside a bare Argon2id verify of the
 * same hashes at the same concurrency. Login is Argon2-bound by design (19 MiB, 2 passes).
 */
import { Agent, request } from 'node:http';
import { Pool } from 'pg';
import { Algorithm, verify } from '@node-rs/argon2';
import {
  appEnv,
  createTestDatabase,
  createTestNamespace,
  startApp,
  type RunningApp,
} from '@trustno1/testing';
import type { BenchContext } from './lib/context';
import { measure } from './lib/measure';
import type { BenchRow } from './lib/table';

/** Each login costs ~20 MiB and tens of ms of CPU: a few hundred are enough for stable numbers. */
const LOGIN_ITERATIONS_CAP = 300;
const USERNAME = 'bench_login';
const PASSWORD = 'Bench-Login-Password-1';

function post(
  agent: Agent,
  port: number,
  path: string,
  body: unknown,
): Promise<{ status: number; text: string }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export async function accountsRows(ctx: BenchContext): Promise<BenchRow[]> {
  const db = await createTestDatabase();
  const ns = createTestNamespace();
  const env = appEnv(db, ns, { LOG_LEVEL: 'error', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '10000000' });
  const apps: RunningApp[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: ctx.concurrency });
  const pool = new Pool({ connectionString: db.url, max: 1 });
  try {
    apps.push(...(await Promise.all([startApp('accounts', env), startApp('gateway', env)])));
    const port = apps[1].port;
    // One account per lane: the lockout counts a login in flight until it succeeds, so one account
    // hammered by 16 parallel logins would (rightly) be locked.
    const users = Array.from({ length: ctx.concurrency }, (_, i) => `${USERNAME}_${i}`);
    for (const username of users) {
      const created = await post(agent, port, '/v1/accounts', {
        username,
        email: `${username}@example.test`,
        password: PASSWORD,
      });
      if (created.status !== 201) throw new Error(`registering a bench account failed: ${created.text}`);
    }
    const { rows } = await pool.query<{ password_hash: string }>(
      `SELECT password_hash FROM accounts WHERE username = ANY($1) ORDER BY username`,
      [users],
    );
    const hashes = rows.map((r) => r.password_hash);

    const opts = {
      iterations: Math.min(ctx.iterations, LOGIN_ITERATIONS_CAP),
      concurrency: ctx.concurrency,
      warmup: 20,
    };
    const measured = await measure(async (i) => {
      const reply = await post(agent, port, '/v1/sessions', {
        login: users[i % users.length],
        password: PASSWORD,
      });
      if (reply.status !== 201) throw new Error(`login answered ${reply.status}`);
    }, opts);
    const raw = await measure(async (i) => {
      if (!(await verify(hashes[i % hashes.length], PASSWORD, { algorithm: Algorithm.Argon2id })))
        throw new Error('verify failed');
    }, opts);
    return [
      {
        operation: 'login (Argon2id-bound)',
        measured,
        raw,
        note:
          'HTTP POST /v1/sessions through gateway and accounts vs a bare argon2.verify of the same hashes; login is ' +
          'Argon2-bound (19 MiB, t=2, p=1, on libuv threads), so the ratio shows what HTTP, NATS, PostgreSQL and Redis add',
      },
    ];
  } finally {
    agent.destroy();
    await pool.end();
    await Promise.all(apps.map((app) => app.kill()));
    await ns.cleanup();
    await db.drop();
  }
}
