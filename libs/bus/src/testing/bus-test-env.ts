import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Pool } from 'pg';
import { natsConnectOptions } from '@trustno1/config';
import { createTestDatabase, createTestNamespace, testInfra } from '@trustno1/testing';

/** What a bus test file gets: an isolated database, subject prefix and stream name. */
export interface BusTestEnv {
  databaseUrl: string;
  pool: Pool;
  natsUrl: string;
  prefix: string;
  streamName: string;
  cleanup(): Promise<void>;
}

const NATS_URL = testInfra().natsUrl;

/**
 * A migrated database of this file's own (it has the outbox and processed_events tables), a subject
 * prefix and a stream name, from the shared harness; `extraDdl` adds tables a test needs.
 */
export async function createBusTestEnv(extraDdl = ''): Promise<BusTestEnv> {
  const database = await createTestDatabase();
  const ns = createTestNamespace();
  const pool = new Pool({ connectionString: database.url, max: 10 });
  if (extraDdl) await pool.query(extraDdl);
  return {
    databaseUrl: database.url,
    pool,
    natsUrl: NATS_URL,
    prefix: ns.natsSubjectPrefix,
    streamName: ns.eventsStream,
    cleanup: async () => {
      await pool.end();
      await deleteStream(ns.eventsStream);
      await ns.cleanup();
      await database.drop();
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
  const nc = await connect(natsConnectOptions(natsUrl));
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
  const nc = await connect(natsConnectOptions(natsUrl));
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
  const nc = await connect(natsConnectOptions(NATS_URL));
  try {
    await (await jetstreamManager(nc)).streams.delete(name).catch(() => false);
  } finally {
    await nc.close();
  }
}

/** A logger that keeps expected failures out of the test output. */
export const quietLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };
