import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/nats-core';
import { headers as natsHeaders } from '@nats-io/nats-core';
import {
  ErrorCode,
  type AnyOperation,
  type InputOf,
  type Principal,
  type ReplyOf,
} from '@trustno1/contracts';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ClientNats, NatsRecord } from '@nestjs/microservices';
import type { MsPattern } from '@nestjs/microservices';
import { lastValueFrom, timeout } from 'rxjs';
import { currentRequestId, REQUEST_ID_HEADER } from '../request-context';
import { withPrefix } from '../subjects';
import { PRINCIPAL_HEADER, SERVER_KEY_HEADER } from './caller-authenticator';
import {
  DEVELOPMENT_SIGNING_KEYS,
  PRINCIPAL_SIGNATURE_HEADER,
  PrincipalSeal,
  type SigningKey,
} from './principal-seal';
import { IDEMPOTENCY_KEY_HEADER } from './request-meta';
import { toClientError, unavailableCause } from './wire-errors';
import { natsConnectOptions } from '@trustno1/config';

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
  /** Keys that seal the principals this client sends (PRINCIPAL_SIGNING_KEYS); development keys by default. */
  signingKeys?: readonly SigningKey[];
}

/** Per-call options of `BusClient.request`. */
export interface RequestOptions {
  timeoutMs?: number;
  /** The caller the gateway authenticated, sealed for this subject and request. */
  principal?: Principal;
  /** Act as a game server with its own key (as a game server calling NATS directly does). */
  serverKey?: string;
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
  private readonly seal: PrincipalSeal;
  private readonly logger = new Logger('bus');

  constructor(@Inject(BUS_OPTIONS) options: BusOptions) {
    this.client = new PrefixedClientNats(
      { ...natsConnectOptions(options.natsUrl), name: options.serviceName, maxReconnectAttempts: -1 },
      options.subjectPrefix ?? '',
    );
    this.defaultTimeoutMs = options.requestTimeoutMs ?? 5_000;
    this.seal = new PrincipalSeal(options.signingKeys ?? DEVELOPMENT_SIGNING_KEYS);
  }

  /** Calls an operation: the payload and the reply are typed by its definition in contracts. */
  call<O extends AnyOperation>(op: O, payload: InputOf<O>, opts: RequestOptions = {}): Promise<ReplyOf<O>> {
    return this.request<ReplyOf<O>>(op.subject, payload, opts);
  }

  /**
   * Sends `payload` to `pattern` and resolves with the reply. Rejects with the
   * remote AppError, or with UNAVAILABLE on no responder, timeout or NATS down.
   */
  async request<T>(pattern: string, payload: unknown, opts: RequestOptions = {}): Promise<T> {
    const record = new NatsRecord(payload ?? null, this.headers(pattern, opts));
    const reply$ = this.client
      .send<T>(pattern, record)
      .pipe(timeout({ first: opts.timeoutMs ?? this.defaultTimeoutMs }));
    try {
      // A handler returning nothing completes without a value.
      return await lastValueFrom(reply$, { defaultValue: undefined as T });
    } catch (err) {
      const error = toClientError(err, pattern);
      if (error.code === ErrorCode.UNAVAILABLE) {
        this.logger.warn(
          { ...unavailableCause(err, pattern), requestId: currentRequestId() },
          'NATS request failed',
        );
      }
      throw error;
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

  private headers(pattern: string, opts: RequestOptions) {
    const h = natsHeaders();
    // Without a caller context a fresh id still ties the service logs of this call together.
    const requestId = currentRequestId() ?? randomUUID();
    h.set(REQUEST_ID_HEADER, requestId);
    if (opts.principal) {
      const sealed = this.seal.sign(opts.principal, pattern, requestId);
      h.set(PRINCIPAL_HEADER, sealed.principal);
      h.set(PRINCIPAL_SIGNATURE_HEADER, sealed.seal);
    }
    if (opts.serverKey) h.set(SERVER_KEY_HEADER, opts.serverKey);
    if (opts.idempotencyKey) h.set(IDEMPOTENCY_KEY_HEADER, opts.idempotencyKey);
    return h;
  }
}
