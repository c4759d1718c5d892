import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/nats-core';
import { headers as natsHeaders } from '@nats-io/nats-core';
import type { Principal } from '@trustno1/contracts';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ClientNats, NatsRecord } from '@nestjs/microservices';
import type { MsPattern } from '@nestjs/microservices';
import { lastValueFrom, timeout } from 'rxjs';
import { currentRequestId, REQUEST_ID_HEADER } from '../request-context';
import { withPrefix } from '../subjects';
import { IDEMPOTENCY_KEY_HEADER, PRINCIPAL_HEADER } from './request-meta';
import { toClientError } from './wire-errors';

/** Injection token of the bus options. */
export const BUS_OPTIONS = Symbol('BUS_OPTIONS');

/** Options of `BusModule.forRoot` and of a stand-alone `BusClient`. */
export interface BusOptions {
  natsUrl: string;
  /** Connection name, visible in NATS monitoring. */
  serviceName: string;
  /** Isolation prefix put before every request subject (tests: `t123.`). */
  subjectPrefix?: string;
  /** Default request timeout; a request that takes longer rejects UNAVAILABLE. */
  requestTimeoutMs?: number;
}

/** Per-call options of `BusClient.request`. */
export interface RequestOptions {
  timeoutMs?: number;
  /** The caller the gateway authenticated; services authorize against it. */
  principal?: Principal;
  /** The caller's Idempotency-Key; the service stores its result with the effect. */
  idempotencyKey?: string;
}

/** Nest's NATS client sending to `${prefix}${pattern}`. */
export class PrefixedClientNats extends ClientNats {
  constructor(
    options: ConstructorParameters<typeof ClientNats>[0],
    private readonly prefix: string,
  ) {
    super(options);
  }

  protected override normalizePattern(pattern: MsPattern): string {
    return withPrefix(this.prefix, super.normalizePattern(pattern));
  }
}

/** Typed request/reply over NATS, rejecting only with AppError. */
@Injectable()
export class BusClient implements OnApplicationShutdown {
  private readonly client: PrefixedClientNats;
  private readonly defaultTimeoutMs: number;

  constructor(@Inject(BUS_OPTIONS) options: BusOptions) {
    this.client = new PrefixedClientNats(
      { servers: options.natsUrl, name: options.serviceName, maxReconnectAttempts: -1 },
      options.subjectPrefix ?? '',
    );
    this.defaultTimeoutMs = options.requestTimeoutMs ?? 5_000;
  }

  /**
   * Sends `payload` to `pattern` and resolves with the reply. Rejects with the
   * remote AppError, or with UNAVAILABLE on no responder, timeout or NATS down.
   */
  async request<T>(pattern: string, payload: unknown, opts: RequestOptions = {}): Promise<T> {
    const record = new NatsRecord(payload ?? null, this.headers(opts));
    const reply$ = this.client
      .send<T>(pattern, record)
      .pipe(timeout({ first: opts.timeoutMs ?? this.defaultTimeoutMs }));
    try {
      // A handler returning nothing completes without a value.
      return await lastValueFrom(reply$, { defaultValue: undefined as T });
    } catch (err) {
      throw toClientError(err, pattern);
    }
  }

  /** Round trip to the NATS server, for readiness checks. */
  async ping(): Promise<number> {
    await this.client.connect();
    return this.client.unwrap<NatsConnection>().rtt();
  }

  /** Closes the connection; pending requests reject UNAVAILABLE. */
  close(): Promise<void> {
    return this.client.close();
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  private headers(opts: RequestOptions) {
    const h = natsHeaders();
    // Without a caller context a fresh id still ties the service logs of this call together.
    h.set(REQUEST_ID_HEADER, currentRequestId() ?? randomUUID());
    if (opts.principal) h.set(PRINCIPAL_HEADER, JSON.stringify(opts.principal));
    if (opts.idempotencyKey) h.set(IDEMPOTENCY_KEY_HEADER, opts.idempotencyKey);
    return h;
  }
}
