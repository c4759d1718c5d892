import { randomUUID } from 'node:crypto';
import { Match } from '@nats-io/nats-core';
import type { Msg, NatsConnection, Subscription, SubscriptionOptions } from '@nats-io/nats-core';
import { NatsContext, ServerNats } from '@nestjs/microservices';
import { AppError, isErrorEnvelope } from '@trustno1/contracts';
import { REQUEST_ID_HEADER, runWithRequestId } from '../request-context';
import { withPrefix } from '../subjects';
import { CallerAuthenticator, PRINCIPAL_HEADER, SERVER_KEY_HEADER } from './caller-authenticator';
import { DEVELOPMENT_SIGNING_KEYS, PRINCIPAL_SIGNATURE_HEADER, PrincipalSeal } from './principal-seal';
import { INTERNAL_ENVELOPE, sanitizeEnvelope, toWireError } from './wire-errors';
import { natsConnectOptions } from '@trustno1/config';

/** Options of the NATS request/reply server of a service. */
export interface BusServerOptions {
  natsUrl: string;
  /** Queue group (replicas load-balance) and connection name. */
  serviceName: string;
  /** Isolation prefix put before every subscribed subject (tests: `t123.`). */
  subjectPrefix?: string;
  /** How long close() waits for in-flight requests after unsubscribing. */
  shutdownGraceMs?: number;
  /**
   * Who may call: sealed principals and (when it can resolve them) game server keys. Without it
   * only principals sealed with the public development keyring are accepted.
   */
  authenticator?: CallerAuthenticator;
  /** Called once per request when its reply is sent (never throws into the transport). */
  onReply?: (event: BusReplyEvent) => void;
}

type Packet = { err?: unknown; response?: unknown; isDisposed?: boolean };

/** One answered (or refused) request, for the access log and the latency histogram. */
export interface BusReplyEvent {
  /** The operation's subject, without the isolation prefix. */
  subject: string;
  requestId: string;
  /** `OK`, or the error code the caller got. */
  code: string;
  /** The kind of the proven principal; `unknown` when the caller could not be authenticated. */
  principal: string;
  seconds: number;
}

/**
 * Nest's NATS server with the house conventions: subject prefix, queue group =
 * service name, request id context from headers, envelope-only errors on the
 * wire, and a drain on close (stop taking work, finish what is running).
 */
export class BusServer extends ServerNats {
  private readonly prefix: string;
  private readonly graceMs: number;
  private readonly authenticator: CallerAuthenticator;
  private readonly subs: Subscription[] = [];
  private readonly finishers = new WeakMap<Msg, (code?: string) => void>();
  private readonly onReply: ((event: BusReplyEvent) => void) | undefined;
  private inflight = 0;
  private onIdle: (() => void) | undefined;

  constructor(opts: BusServerOptions) {
    super({
      ...natsConnectOptions(opts.natsUrl),
      name: opts.serviceName,
      queue: opts.serviceName,
      maxReconnectAttempts: -1,
    });
    this.prefix = opts.subjectPrefix ?? '';
    this.onReply = opts.onReply;
    this.graceMs = opts.shutdownGraceMs ?? 10_000;
    this.authenticator =
      opts.authenticator ?? new CallerAuthenticator(new PrincipalSeal(DEVELOPMENT_SIGNING_KEYS));
  }

  /** Subscribes every pattern under the prefix; handlers still see the bare pattern. */
  override bindEvents(client: NatsConnection): void {
    const prefixing = {
      subscribe: (subject: string, opts: SubscriptionOptions) => {
        const sub = client.subscribe(withPrefix(this.prefix, subject), opts);
        this.subs.push(sub);
        return sub;
      },
    };
    super.bindEvents(prefixing);
  }

  /**
   * Authenticates the caller, then runs the whole pipeline (guards, pipes, handler, filter)
   * inside the request context. Handlers see only a proven principal in `x-principal`: the
   * header is rewritten here, and a claim that cannot be proven is answered UNAUTHENTICATED
   * without reaching any handler.
   */
  override async handleMessage(channel: string, msg: Msg): Promise<unknown> {
    const requestId = msg.headers?.get(REQUEST_ID_HEADER, Match.IgnoreCase) || randomUUID();
    const event = { subject: channel, requestId, principal: 'unknown' };
    const finish = this.track(msg, event);
    try {
      return await runWithRequestId(requestId, async () => {
        try {
          const principal = await this.authenticator.authenticate(channel, requestId, msg.headers);
          event.principal = principal.kind;
          if (msg.headers) {
            msg.headers.set(PRINCIPAL_HEADER, JSON.stringify(principal));
            msg.headers.delete(PRINCIPAL_SIGNATURE_HEADER);
            msg.headers.delete(SERVER_KEY_HEADER);
          }
        } catch (err) {
          return this.refuse(channel, msg, err);
        }
        return (await super.handleMessage(channel, msg)) as unknown;
      });
    } catch (err) {
      finish();
      throw err;
    } finally {
      if (!msg.reply) finish();
    }
  }

  /** Guarantees the wire error is an envelope, even if an app forgot RpcErrorFilter. */
  override getPublisher(msg: Msg, id: string, ctx: never): (packet: Packet) => unknown {
    const publish = super.getPublisher(msg, id, ctx);
    return (packet: Packet) => {
      if (packet.err !== undefined) {
        packet.err = isErrorEnvelope(packet.err) ? sanitizeEnvelope(packet.err) : INTERNAL_ENVELOPE;
      }
      try {
        return publish(packet) as unknown;
      } finally {
        if (packet.isDisposed || packet.err !== undefined) {
          this.finishers.get(msg)?.(packet.err === undefined ? 'OK' : (packet.err as { code: string }).code);
        }
      }
    };
  }

  /** Answers a request whose caller could not be authenticated; a lone event is dropped. */
  private async refuse(channel: string, msg: Msg, err: unknown): Promise<void> {
    const envelope = err instanceof AppError ? toWireError(err) : INTERNAL_ENVELOPE;
    const packet = (await this.deserializer.deserialize(msg, { channel, replyTo: msg.reply })) as {
      id?: string;
    };
    if (packet.id === undefined) return;
    const ctx = new NatsContext([msg.subject, msg.headers]) as never;
    this.getPublisher(msg, packet.id, ctx)({ err: envelope, isDisposed: true });
  }

  /** Stops taking requests, waits for running ones (bounded), then closes. */
  override async close(): Promise<void> {
    await Promise.all(this.subs.splice(0).map((s) => s.drain().catch(() => undefined)));
    await this.waitIdle();
    await super.close();
  }

  private track(msg: Msg, event: { subject: string; requestId: string; principal: string }) {
    this.inflight++;
    const started = performance.now();
    let done = false;
    const finish = (code?: string) => {
      if (done) return;
      done = true;
      this.inflight--;
      if (this.inflight === 0) this.onIdle?.();
      // A request answered: its access event. A lone event (no reply subject) has none.
      if (code !== undefined && this.onReply) {
        try {
          this.onReply({ ...event, code, seconds: (performance.now() - started) / 1000 });
        } catch {
          // Observing must never break the transport.
        }
      }
    };
    this.finishers.set(msg, finish);
    return finish;
  }

  private waitIdle(): Promise<void> {
    if (this.inflight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, this.graceMs);
      this.onIdle = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/** The transport strategy for `app.connectMicroservice({ strategy: createBusServer(...) })`. */
export function createBusServer(options: BusServerOptions): BusServer {
  return new BusServer(options);
}
