import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { ensureEventsStream } from './stream';
import type { EventsStreamOptions } from './stream';
import { natsConnectOptions } from '@trustno1/config';

/**
 * A lazily opened JetStream connection for a publisher that must survive NATS
 * being down at start-up: each `get()` retries what is missing, so the caller's
 * backoff loop is the only retry policy.
 */
export class JetStreamLink {
  private nc?: NatsConnection;
  private js?: JetStreamClient;
  private streamReady = false;
  private opening?: Promise<JetStreamClient>;

  constructor(
    private readonly natsUrl: string,
    private readonly connectionName: string,
    private readonly stream: EventsStreamOptions,
  ) {}

  /** The client, once connected and with the stream known to exist. */
  get(): Promise<JetStreamClient> {
    // Concurrent callers share one attempt, so no connection is opened twice.
    this.opening ??= this.open().finally(() => (this.opening = undefined));
    return this.opening;
  }

  private async open(): Promise<JetStreamClient> {
    if (!this.nc || this.nc.isClosed()) {
      this.nc = await connect({
        ...natsConnectOptions(this.natsUrl),
        name: this.connectionName,
        maxReconnectAttempts: -1,
      });
      this.js = jetstream(this.nc);
      this.streamReady = false;
    }
    if (!this.streamReady) {
      await ensureEventsStream(await jetstreamManager(this.nc), this.stream);
      this.streamReady = true;
    }
    return this.js as JetStreamClient;
  }

  /** After a failed publish: the stream may have been deleted, check it again next time. */
  recheckStream(): void {
    this.streamReady = false;
  }

  async close(): Promise<void> {
    const nc = this.nc;
    this.nc = undefined;
    await nc?.drain().catch(() => nc.close());
  }
}
