/**
 * Jest's global setup and teardown for the integration and end-to-end projects: finds PostgreSQL,
 * Redis and NATS (tools/infra.ts), migrates one template database that every spec file clones
 * (libs/testing), and hands both to the test workers through the environment.
 */
import { Client } from 'pg';
// By path, as tools/migrate.ts does: global setup runs outside Jest's module mapping.
import { applyMigrations } from '../../libs/db/src/migrate/migrator';
import { resolveInfra, type Infra } from '../infra';

interface Prepared {
  infra: Infra;
  adminUrl: string;
  template: string;
  /** Projects using it: Jest runs the global setup of each project that has tests to run. */
  users: number;
}

const STATE = Symbol.for('trustno1.test-infra');
const holder = globalThis as { [STATE]?: Promise<Prepared> };

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

async function prepare(): Promise<Prepared> {
  const infra = await resolveInfra();
  const adminUrl = withDatabase(infra.databaseUrl, 'postgres');
  const template = `tn1_template_${process.pid}`;
  process.stdout.write(
    `\n# infrastructure: ${infra.source}; NATS with authentication at ${infra.natsUrl}; template database ${template}\n`,
  );
  try {
    await sql(adminUrl, `DROP DATABASE IF EXISTS ${template}`);
    await sql(adminUrl, `CREATE DATABASE ${template}`);
    await applyMigrations({ databaseUrl: withDatabase(adminUrl, template) });
  } catch (error) {
    await sql(adminUrl, `DROP DATABASE IF EXISTS ${template} WITH (FORCE)`).catch(() => undefined);
    await infra.stop();
    throw error;
  }
  // Workers start after the global setup and inherit this environment (libs/testing testInfra()).
  Object.assign(process.env, {
    TN1_TEST_PG_ADMIN_URL: adminUrl,
    TN1_TEST_TEMPLATE: template,
    REDIS_URL: infra.redisUrl,
    NATS_URL: infra.natsUrl,
  });
  return { infra, adminUrl, template, users: 0 };
}

/** Jest `globalSetup`: the first project to ask prepares everything, the others share it. */
export async function setUpTestInfra(): Promise<void> {
  holder[STATE] ??= prepare();
  const prepared = await holder[STATE];
  prepared.users += 1;
}

/** Jest `globalTeardown`: the last project to leave drops the template and stops any containers. */
export async function tearDownTestInfra(): Promise<void> {
  const pending = holder[STATE];
  if (!pending) return;
  const prepared = await pending;
  prepared.users -= 1;
  if (prepared.users > 0) return;
  delete holder[STATE];
  await sql(prepared.adminUrl, `DROP DATABASE IF EXISTS ${prepared.template} WITH (FORCE)`).catch(
    () => undefined,
  );
  await prepared.infra.stop();
}
