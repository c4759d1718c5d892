import { randomBytes } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Client, Pool } from 'pg';

// Local stand-in for the shared test harness (libs/testing): one database, subject
// prefix and stream per test file, so files run in parallel without seeing each other.

/** What a bus test file gets: an isolated database, subject prefix and stream name. */
export interface BusTestEnv {
  databaseUrl: string;
  pool: Pool;
  natsUrl: string;
  prefix: string;
  streamName: string;
  cleanup(): Promise<void>;
}

const ADMIN_URL = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

// Until the schema migration exists this mirrors its outbox/processed_events DDL.
const DDL = `
  CREATE TABLE outbox (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    subject text NOT NULL,
    payload jsonb NOT NULL,
    headers jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz NULL
  );
  CREATE INDEX outbox_unpublished_idx ON outbox (created_at) WHERE published_at IS NULL;
  CREATE TABLE processed_events (
    consumer varchar(128) NOT NULL,
    event_id uuid NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
  );`;

/** Creates the isolated database (with `extraDdl` after the bus tables) and names. */
export async function createBusTestEnv(extraDdl = ''): Promise<BusTestEnv> {
  const token = randomBytes(4).toString('hex');
  const dbName = `tn1_bus_${token}`;
  await admin(`CREATE DATABASE ${dbName}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();
  const pool = new Pool({ connectionString: databaseUrl, max: 10 });
  await pool.query(DDL + extraDdl);
  const streamName = `EVENTS_${token}`;
  return {
    databaseUrl,
    pool,
    natsUrl: NATS_URL,
    prefix: `t${token}.`,
    streamName,
    cleanup: async () => {
      await pool.end();
      await deleteStream(streamName);
      await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    },
  };
}

/** Polls `check` until it returns true, failing after `timeoutMs`. */
export async function waitFor(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(50);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Number of messages the stream holds (0 when it does not exist). */
export async function streamMessageCount(streamName: string, natsUrl = NATS_URL): Promise<number> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    return (await jsm.streams.info(streamName)).state.messages;
  } catch {
    return 0;
  } finally {
    await nc.close();
  }
}

/** One stored message, as any downstream reader sees it (no deduplication of its own). */
export interface StoredEvent {
  msgId: string;
  subject: string;
  data: unknown;
}

/** Reads every message of the stream with an ephemeral ordered consumer. */
export async function readStream(streamName: string, natsUrl = NATS_URL): Promise<StoredEvent[]> {
  const nc = await connect({ servers: natsUrl });
  try {
    const total = (await (await jetstreamManager(nc)).streams.info(streamName)).state.messages;
    const consumer = await jetstream(nc).consumers.get(streamName);
    const out: StoredEvent[] = [];
    while (out.length < total) {
      const msg = await consumer.next({ expires: 2_000 });
      if (!msg) break;
      out.push({ msgId: msg.headers?.get('Nats-Msg-Id') ?? '', subject: msg.subject, data: msg.json() });
    }
    return out;
  } finally {
    await nc.close();
  }
}

async function deleteStream(name: string): Promise<void> {
  const nc = await connect({ servers: NATS_URL });
  try {
    await (await jetstreamManager(nc)).streams.delete(name).catch(() => false);
  } finally {
    await nc.close();
  }
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A logger that keeps expected failures out of the test output. */
export const quietLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };
