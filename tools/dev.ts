/**
 * `npm run dev` (watch) and `npm start` (built output): checks PostgreSQL, Redis and NATS, migrates,
 * then serves every app through Nx. Fails fast with the exact fix when a dependency is down.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { NATS_APP_USERS } from '@trustno1/bus';
import { baseConfigSchema, devNatsPassword, loadConfigOrExit } from '@trustno1/config';
import { applyMigrations, createDatabaseIfMissing } from '@trustno1/db';
import { reachable } from './infra';
import { DEPLOYED_AUTH, listening, LOCAL_NATS_PORT, startLocalNats } from './nats/server';
import { exitWithUsageIfAsked } from './usage';

exitWithUsageIfAsked(`
Usage: npm run dev     (every app in watch mode, through \`nx serve\`)
       npm start       (build, then every app from dist/, through \`nx start\`)

Checks that PostgreSQL, Redis and NATS answer (and prints the command that starts each one that
does not; without NATS_URL it starts the authenticated NATS of \`npm run nats\` itself, and gives each
app its NATS user's development password), creates and migrates DATABASE_URL's database, then serves the gateway on HTTP_PORT
(default 3000) and every service. Configuration: the environment variables of README.md.
`);

const ROOT = join(__dirname, '..');
const watch = process.argv.includes('--watch');

const FIXES = {
  PostgreSQL:
    'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start   (or: docker compose up -d postgres)',
  Redis: 'redis-server --daemonize yes --maxmemory-policy noeviction   (or: docker compose up -d redis)',
  NATS: 'npm run nats   (or: docker compose up -d nats)',
};

/**
 * NATS requires authentication (docs/security.md). Without NATS_URL, the local server of
 * `npm run nats` is started when it is not running; every app gets its own user's development
 * password (`<APP>_NATS_PASSWORD`) unless NATS_PASSWORD or NATS_URL's password says otherwise.
 */
async function natsEnvironment(): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  if (!process.env.NATS_URL) {
    if (!(await listening(LOCAL_NATS_PORT))) {
      const server = await startLocalNats({
        authFile: DEPLOYED_AUTH,
        port: LOCAL_NATS_PORT,
        dir: join(ROOT, 'tmp/nats'),
        detached: true,
      });
      process.stdout.write(
        `started nats-server with authentication on ${server.url} (npm run nats -- --stop)\n`,
      );
    }
    env.NATS_URL = `nats://127.0.0.1:${LOCAL_NATS_PORT}`;
  }
  if (!process.env.NATS_PASSWORD) {
    for (const app of NATS_APP_USERS) env[`${app.toUpperCase()}_NATS_PASSWORD`] = devNatsPassword(app);
  }
  return env;
}

async function main(): Promise<void> {
  const natsEnv = await natsEnvironment();
  Object.assign(process.env, natsEnv);
  const config = loadConfigOrExit(baseConfigSchema, 'dev');
  const checks: Array<[keyof typeof FIXES, string, number]> = [
    ['PostgreSQL', config.DATABASE_URL, 5432],
    ['Redis', config.REDIS_URL, 6379],
    ['NATS', config.NATS_URL, 4222],
  ];
  const down: Array<keyof typeof FIXES> = [];
  for (const [name, url, port] of checks) if (!(await reachable(url, port))) down.push(name);
  if (down.length > 0) {
    for (const name of down)
      process.stderr.write(`${name} is not reachable. Start it with:\n  ${FIXES[name]}\n`);
    process.exit(1);
  }
  if (process.argv.includes('--build')) {
    const build = spawnSync(process.execPath, [join(ROOT, 'tools/build.mjs')], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  await createDatabaseIfMissing(config.DATABASE_URL);
  const { applied } = await applyMigrations({ databaseUrl: config.DATABASE_URL });
  process.stdout.write(`migrations: ${applied.length} applied\n`);
  const target = watch ? 'serve' : 'start';
  const nx = spawn(
    process.execPath,
    [
      join(ROOT, 'node_modules/nx/dist/bin/nx.js'),
      'run-many',
      '-t',
      target,
      '--projects=tag:type:app',
      '--parallel=8',
      '--outputStyle=stream',
    ],
    {
      cwd: ROOT,
      stdio: 'inherit',
      // Each app as its own role (docs/database.md "Schemas, roles and grants"), unless told otherwise.
      env: { DATABASE_OWN_ROLE: 'true', ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
    },
  );
  const forward = (signal: NodeJS.Signals) => nx.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  nx.on('exit', (code) => process.exit(code ?? 0));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
