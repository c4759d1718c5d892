import type { JsMsg } from '@nats-io/jetstream';

/** An event as a handler sees it. */
export interface BusEvent<T = unknown> {
  /** Outbox row id, from Nats-Msg-Id: the deduplication key. */
  id: string;
  /** Contract subject, without the isolation prefix. */
  subject: string;
  data: T;
  headers: Record<string, string>;
  /** 1 on first delivery. */
  deliveryCount: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Decodes a JetStream message, or says why it cannot be an event. */
export function decodeEvent<T>(msg: JsMsg, subjectOf: (wire: string) => string): BusEvent<T> | string {
  const id = msg.headers?.get('Nats-Msg-Id') ?? '';
  if (!UUID.test(id)) return `missing or invalid Nats-Msg-Id "${id}"`;
  let data: T;
  try {
    data = msg.json<T>();
  } catch {
    return 'payload is not JSON';
  }
  return {
    id,
    subject: subjectOf(msg.subject),
    data,
    headers: headersOf(msg),
    deliveryCount: msg.info.deliveryCount,
  };
}

function headersOf(msg: JsMsg): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of msg.headers?.keys() ?? []) out[key] = msg.headers?.get(key) ?? '';
  return out;
}
