import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { Logger } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { DEFAULT_STREAM, eventsStreamSubjects, withPrefix } from '../subjects';
import { OUTBOX_CHANNEL } from './enqueue';
import { JetStreamLink } from './jetstream-link';
import { Waker } from './waker';

/** Options of the outbox relay. */
export interface OutboxRelayOptions {
  pool: Pool;
  natsUrl: string;
  streamName?: string;
  subjectPrefix?: string;
  batchSize?: number;
  /** Poll interval when idle (a NOTIFY wakes the relay earlier). */
  pollIntervalMs?: number;
  /** Ceiling of the retry backoff while NATS or PostgreSQL fails. */
  maxBackoffMs?: number;
  publishTimeoutMs?: number;
  /** LISTEN for enqueue notifications (one pooled connection held while running). */
  listen?: boolean;
  logger?: Pick<Logger, 'log' | 'warn' | 'error'>;
}

/** One unpublished event. */
export interface OutboxRow {
  id: string;
  subject: string;
  payload: unknown;
  headers: Record<string, string>;
}

interface BatchResult {
  fetched: number;
  published: number;
  failure?: unknown;
}

// SKIP LOCKED lets replicas share the backlog: a row is in one relay's batch at a time.
const SELECT_BATCH = `
  SELECT id, subject, payload, headers FROM outbox
  WHERE published_at IS NULL
  ORDER BY created_at
  LIMIT $1
  FOR UPDATE SKIP LOCKED`;
const MARK_PUBLISHED = `UPDATE outbox SET published_at = now() WHERE id = ANY($1::uuid[])`;

/**
 * Publishes committed outbox rows to JetStream, at least once; the stream drops
 * repeats by Nats-Msg-Id (= row id), so a crash between publish and mark costs nothing.
 */
export class OutboxRelay {
  /** Counters for metrics: `duplicates` are re-sends the stream dropped. */
  readonly stats = { published: 0, duplicates: 0, failures: 0 };
  private readonly o: Required<Omit<OutboxRelayOptions, 'subjectPrefix'>> & { subjectPrefix: string };
  private readonly waker = new Waker();
  private readonly link: JetStreamLink;
  private listener?: PoolClient;
  private loop?: Promise<void>;
  private stopped = true;

  constructor(options: OutboxRelayOptions) {
    this.o = {
      streamName: DEFAULT_STREAM,
      subjectPrefix: '',
      batchSize: 100,
      pollIntervalMs: 200,
      maxBackoffMs: 5_000,
      publishTimeoutMs: 2_000,
      listen: true,
      logger: new Logger(OutboxRelay.name),
      ...options,
    };
    const stream = { name: this.o.streamName, subjects: eventsStreamSubjects(this.o.subjectPrefix) };
    this.link = new JetStreamLink(this.o.natsUrl, 'outbox-relay', stream);
  }

  /** Starts relaying in the background; does not wait for NATS. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  /** Finishes the batch in progress, then releases PostgreSQL and NATS. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.waker.wake();
    await this.loop;
    this.dropListener();
    await this.link.close();
  }

  /** Publishes every row unpublished now, batch by batch; throws when a publish fails. */
  async drainOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const batch = await this.relayBatch();
      total += batch.published;
      if (batch.failure !== undefined) {
        this.link.recheckStream();
        throw asError(batch.failure);
      }
      if (batch.fetched < this.o.batchSize || this.stopped) return total;
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        await this.ensureListener();
        await this.drainOnce();
        failures = 0;
      } catch (err) {
        failures++;
        this.stats.failures++;
        this.o.logger.warn(`Outbox relay failed (attempt ${failures}): ${describe(err)}`);
      }
      await this.waker.sleep(failures === 0 ? this.o.pollIntervalMs : this.backoff(failures));
    }
  }

  private backoff(failures: number): number {
    const ceiling = Math.min(this.o.maxBackoffMs, this.o.pollIntervalMs * 2 ** failures);
    return ceiling / 2 + (Math.random() * ceiling) / 2;
  }

  private async relayBatch(): Promise<BatchResult> {
    const js = await this.link.get();
    const client = await this.o.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<OutboxRow>(SELECT_BATCH, [this.o.batchSize]);
      const { ids, failure } = await this.publishAll(js, rows);
      if (ids.length > 0) await this.markPublished(client, ids);
      await client.query('COMMIT');
      return { fetched: rows.length, published: ids.length, failure };
    } catch (err) {
      await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw err;
    } finally {
      client.release(broken);
    }
  }

  // Publishes are pipelined; order on the stream is the send order unless one fails
  // and is retried later, which consumers must tolerate anyway (redeliveries).
  private async publishAll(js: JetStreamClient, rows: OutboxRow[]) {
    const results = await Promise.allSettled(rows.map((row) => this.publish(js, row)));
    const ids = rows.filter((_, i) => results[i].status === 'fulfilled').map((r) => r.id);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    return { ids, failure: failed?.reason as unknown };
  }

  /** Sends one row; the stream deduplicates on its id. */
  protected async publish(js: JetStreamClient, row: OutboxRow): Promise<PubAck> {
    const h = natsHeaders();
    for (const [key, value] of Object.entries(row.headers ?? {})) h.set(key, String(value));
    const ack = await js.publish(withPrefix(this.o.subjectPrefix, row.subject), JSON.stringify(row.payload), {
      msgID: row.id,
      headers: h,
      timeout: this.o.publishTimeoutMs,
    });
    if (ack.duplicate) this.stats.duplicates++;
    else this.stats.published++;
    return ack;
  }

  /** Marks rows as sent, in the transaction that locked them. */
  protected async markPublished(client: PoolClient, ids: string[]): Promise<void> {
    await client.query(MARK_PUBLISHED, [ids]);
  }

  // Best effort: without LISTEN the relay still polls every pollIntervalMs.
  private async ensureListener(): Promise<void> {
    if (!this.o.listen || this.listener) return;
    const client = await this.o.pool.connect();
    client.on('notification', () => this.waker.wake());
    client.on('error', (err) => {
      this.o.logger.warn(`Outbox LISTEN connection lost: ${err.message}`);
      if (this.listener === client) this.dropListener();
    });
    try {
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    } catch (err) {
      client.release(true);
      throw err;
    }
    this.listener = client;
  }

  // Destroyed, not returned: a pooled connection must not keep LISTENing.
  private dropListener(): void {
    this.listener?.release(true);
    this.listener = undefined;
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
