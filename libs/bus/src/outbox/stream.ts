import { JetStreamApiCodes, JetStreamApiError, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { JetStreamManager, StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';

/** Shape of the events stream. */
export interface EventsStreamOptions {
  name: string;
  subjects: string[];
  /** Window in which a repeated Nats-Msg-Id is dropped; at least 2 minutes. */
  duplicateWindowMs?: number;
  /** How long events are kept (default 7 days); consumers must catch up within it. */
  maxAgeMs?: number;
}

const MIN_DUPLICATE_WINDOW_MS = 120_000;
const DEFAULT_MAX_AGE_MS = 7 * 24 * 3600_000;

/** Creates the events stream, or brings an existing one to this configuration. */
export async function ensureEventsStream(jsm: JetStreamManager, opts: EventsStreamOptions): Promise<void> {
  const config = streamConfig(opts);
  try {
    await jsm.streams.info(opts.name);
  } catch (err) {
    if (!isStreamNotFound(err)) throw err;
    await jsm.streams.add(config);
    return;
  }
  // storage and retention are immutable: only the adjustable fields are updated.
  const { subjects, duplicate_window, max_age } = config;
  await jsm.streams.update(opts.name, { subjects, duplicate_window, max_age });
}

function streamConfig(opts: EventsStreamOptions): Partial<StreamConfig> & { name: string } {
  const windowMs = Math.max(opts.duplicateWindowMs ?? MIN_DUPLICATE_WINDOW_MS, MIN_DUPLICATE_WINDOW_MS);
  return {
    name: opts.name,
    subjects: opts.subjects,
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    duplicate_window: nanos(windowMs),
    max_age: nanos(opts.maxAgeMs ?? DEFAULT_MAX_AGE_MS),
  };
}

function isStreamNotFound(err: unknown): boolean {
  return err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound;
}
