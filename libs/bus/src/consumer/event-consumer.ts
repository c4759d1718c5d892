import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import type { ConsumerInfo, ConsumerMessages, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { Logger } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { ensureEventsStream } from '../outbox/stream';
import { REQUEST_ID_HEADER, runWithRequestId } from '../request-context';
import { DEFAULT_STREAM, eventsStreamSubjects, withoutPrefix, withPrefix } from '../subjects';
import { decodeEvent } from './decode';
import type { BusEvent } from './decode';
import { natsConnectOptions } from '@trustno1/config';

/** Applies one event; `tx` is the transaction that also records it as processed. */
export type EventHandler<T> = (event: BusEvent<T>, tx: PoolClient) => Promise<void>;

/** Options of an idempotent durable consumer. */
export interface EventConsumerOptions<T> {
  pool: Pool;
  natsUrl: string;
  /** Durable consumer name and `processed_events.consumer` value (≤ 128 chars, no dots). */
  name: string;
  /** Contract subject, wildcards allowed (`evt.accounts.character.created.v1`, `evt.market.>`). */
  filterSubject: string;
  handler: EventHandler<T>;
  streamName?: string;
  subjectPrefix?: string;
  /** Unacked deliveries come back after this long (e.g. the process died). */
  ackWaitMs?: number;
  /** First redelivery delay after a handler failure; doubles up to maxNakDelayMs. */
  nakDelayMs?: number;
  maxNakDelayMs?: number;
  logger?: Pick<Logger, 'log' | 'warn' | 'error'>;
}

const MARK_PROCESSED = `
  INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2::uuid)
  ON CONFLICT DO NOTHING`;

/**
 * Durable JetStream pull consumer that applies each event exactly once: the
 * processed marker and the handler's writes commit in one transaction, and the
 * ack follows the commit, so a redelivery after a crash finds the marker and is only acked.
 */
export class EventConsumer<T = unknown> {
  private readonly o: Required<Omit<EventConsumerOptions<T>, 'subjectPrefix'>> & { subjectPrefix: string };
  private nc?: NatsConnection;
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;

  constructor(options: EventConsumerOptions<T>) {
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(options.name)) {
      throw new Error(`Consumer name "${options.name}" must be 1-128 of [A-Za-z0-9_-]`);
    }
    this.o = {
      streamName: DEFAULT_STREAM,
      subjectPrefix: '',
      ackWaitMs: 30_000,
      nakDelayMs: 1_000,
      maxNakDelayMs: 60_000,
      logger: new Logger(`EventConsumer:${options.name}`),
      ...options,
    };
  }

  /** Connects, creates the stream and durable consumer if needed, and starts consuming. */
  async start(): Promise<void> {
    const nc = await connect({
      ...natsConnectOptions(this.o.natsUrl),
      name: this.o.name,
      maxReconnectAttempts: -1,
    });
    try {
      const jsm = await jetstreamManager(nc);
      const subjects = eventsStreamSubjects(this.o.subjectPrefix);
      await ensureEventsStream(jsm, { name: this.o.streamName, subjects });
      await this.ensureConsumer(jsm);
      const consumer = await jetstream(nc).consumers.get(this.o.streamName, this.o.name);
      // A small prefetch: buffered messages' ack_wait runs while they wait (a late
      // redelivery is harmless, the marker turns it into a bare ack).
      this.messages = await consumer.consume({ max_messages: 16 });
    } catch (err) {
      await nc.close();
      throw err;
    }
    this.nc = nc;
    this.loop = this.run(this.messages);
  }

  /** Stops fetching, finishes the event in hand, then drains the connection (SIGTERM). */
  async stop(): Promise<void> {
    await this.messages?.close();
    await this.loop;
    await this.nc?.drain().catch(() => undefined);
    this.nc = undefined;
  }

  private async run(messages: ConsumerMessages): Promise<void> {
    try {
      for await (const msg of messages) await this.handle(msg);
    } catch (err) {
      this.o.logger.error(`Consumer ${this.o.name} stopped: ${String(err)}`);
    }
  }

  private async handle(msg: JsMsg): Promise<void> {
    const event = decodeEvent<T>(msg, (s) => withoutPrefix(this.o.subjectPrefix, s));
    if (typeof event === 'string') {
      // Redelivering a malformed message can never succeed.
      this.o.logger.error(`Dropping message ${msg.seq} on ${msg.subject}: ${event}`);
      msg.term(event);
      return;
    }
    try {
      await runWithRequestId(event.headers[REQUEST_ID_HEADER] ?? event.id, () => this.applyOnce(event));
    } catch (err) {
      this.o.logger.warn(`Event ${event.id} failed (delivery ${event.deliveryCount}): ${String(err)}`);
      msg.nak(this.nakDelay(event.deliveryCount));
      return;
    }
    this.ack(msg);
  }

  /** Acknowledges a committed event (subclasses may observe or delay it). */
  protected ack(msg: JsMsg): void {
    msg.ack();
  }

  private async applyOnce(event: BusEvent<T>): Promise<void> {
    const client = await this.o.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const marked = await client.query(MARK_PROCESSED, [this.o.name, event.id]);
      if (marked.rowCount === 1) await this.o.handler(event, client);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw err;
    } finally {
      client.release(broken);
    }
  }

  private nakDelay(deliveryCount: number): number {
    return Math.min(this.o.maxNakDelayMs, this.o.nakDelayMs * 2 ** Math.max(0, deliveryCount - 1));
  }

  private async ensureConsumer(jsm: JetStreamManager): Promise<void> {
    const { streamName, name, ackWaitMs } = this.o;
    const filter = withPrefix(this.o.subjectPrefix, this.o.filterSubject);
    const existing = await consumerInfo(jsm, streamName, name);
    if (!existing) {
      await jsm.consumers.add(streamName, {
        durable_name: name,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        filter_subject: filter,
        ack_wait: nanos(ackWaitMs),
      });
      return;
    }
    // A durable consumer's position belongs to its filter: a new filter needs a new name.
    if (existing.config.filter_subject !== filter) {
      throw new Error(`Consumer ${name} filters "${existing.config.filter_subject}", not "${filter}"`);
    }
    if (existing.config.ack_wait !== nanos(ackWaitMs)) {
      await jsm.consumers.update(streamName, name, { ack_wait: nanos(ackWaitMs) });
    }
  }
}

async function consumerInfo(
  jsm: JetStreamManager,
  stream: string,
  name: string,
): Promise<ConsumerInfo | undefined> {
  try {
    return await jsm.consumers.info(stream, name);
  } catch (err) {
    if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.ConsumerNotFound) return undefined;
    throw err;
  }
}
