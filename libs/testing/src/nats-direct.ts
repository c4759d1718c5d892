import { randomUUID } from 'node:crypto';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { natsConnectOptions } from '@trustno1/config';
import type { ErrorEnvelope } from '@trustno1/contracts';

/** What a service answered on NATS: `response` on success, `err` (the envelope) on failure. */
export interface DirectReply {
  response?: unknown;
  err?: ErrorEnvelope;
}

/** A NATS connection that speaks to the services as a game server or an attacker would. */
export interface NatsDirect {
  /** Sends `data` to `subject` in NestJS's wire format, with exactly the headers given. */
  request(subject: string, data: unknown, headers?: Record<string, string>): Promise<DirectReply>;
  close(): Promise<void>;
}

/**
 * Opens a raw NATS connection for the subjects under `subjectPrefix` (a test file's namespace).
 * `natsUrl` carries the user (libs/testing `natsUrlAs`); a game server's user must also use its
 * own inbox prefix (`inboxPrefix`), the only one it may subscribe to.
 */
export async function natsDirect(
  natsUrl: string,
  subjectPrefix: string,
  options: { inboxPrefix?: string } = {},
): Promise<NatsDirect> {
  const nc: NatsConnection = await connect({ ...natsConnectOptions(natsUrl), ...options });
  return {
    async request(subject, data, headers = {}) {
      const h = natsHeaders();
      for (const [name, value] of Object.entries(headers)) h.set(name, value);
      const packet = JSON.stringify({ pattern: subject, data, id: randomUUID() });
      const msg = await nc.request(`${subjectPrefix}${subject}`, packet, { headers: h, timeout: 10_000 });
      return msg.json<DirectReply>();
    },
    close: () => nc.close(),
  };
}
