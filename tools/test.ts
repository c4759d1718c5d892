/**
 * `npm test`: finds the infrastructure, migrates one template database, then runs every
 * `*.spec.ts` file with node's test runner; each file clones the template for itself.
 * Usage: npm test [-- <path filter> ...]
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Client } from 'pg';
import { applyMigrations } from '@trustno1/db';
import { resolveInfra } from './infra';

const ROOT = join(__dirname, '..');
const SEARCH = ['apps', 'libs', 'tools'];
const SKIP = new Set(['node_modules', 'dist', 'generated']);

function specFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name)) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return specFiles(path);
    return name.endsWith('.spec.ts') ? [relative(ROOT, path)] : [];
  });
}

async function sql(url: string, text: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function run(files: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const concurrency = process.env.TEST_CONCURRENCY ?? '2';
  const args = [
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-timeout=300000',
    '-r',
    '@swc-node/register',
    ...files,
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  const filters = process.argv.slice(2);
  const files = SEARCH.flatMap((d) => specFiles(join(ROOT, d))).filter(
    (f) => filters.length === 0 || filters.some((filter) => f.includes(filter)),
  );
  if (files.length === 0) {
    process.stderr.write(`no spec files match ${filters.join(' ')}\n`);
    return 1;
  }
  const infra = await resolveInfra();
  const adminUrl = withDatabase(infra.databaseUrl, 'postgres');
  const template = `tn1_template_${process.pid}`;
  process.stdout.write(
    `# infrastructure: ${infra.source}; template database ${template}; ${files.length} spec files\n`,
  );
  await sql(adminUrl, `DROP DATABASE IF EXISTS ${template}`);
  await sql(adminUrl, `CREATE DATABASE ${template}`);
  try {
    await applyMigrations({ databaseUrl: withDatabase(adminUrl, template) });
    return await run(files, {
      ...process.env,
      NODE_ENV: 'test',
      TN1_TEST_PG_ADMIN_URL: adminUrl,
      TN1_TEST_TEMPLATE: template,
      REDIS_URL: infra.redisUrl,
      NATS_URL: infra.natsUrl,
    });
  } finally {
    await sql(adminUrl, `DROP DATABASE IF EXISTS ${template} WITH (FORCE)`).catch(() => undefined);
    await infra.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
