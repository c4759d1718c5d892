import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { DEVELOPMENT_SIGNING_KEYS, QueuedCallSeal } from '@trustno1/bus';
import { principalSigningKeys, type GatewayConfig } from '@trustno1/config';
import type { AnyOperation, Principal } from '@trustno1/contracts';
import { pushQueuedCall } from '@trustno1/host';
import { REDIS } from '@trustno1/redis';

/** Injection token of the gateway's config, for the queue's limit and the signing keys. */
export const QUEUED_CALLS_CONFIG = Symbol('QUEUED_CALLS_CONFIG');
export type QueuedCallsConfig = Pick<
  GatewayConfig,
  'ASYNC_QUEUE_MAX_LENGTH' | 'NODE_ENV' | 'PRINCIPAL_SIGNING_KEYS'
>;

/**
 * Leaves a checked request on its operation's Redis list, sealed for the owning service (routes
 * with `respondAsync`, sent with `Prefer: respond-async`); a full list is 503 UNAVAILABLE.
 */
@Injectable()
export class QueuedCallPublisher {
  private readonly seal: QueuedCallSeal;
  private readonly maxLength: number;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(QUEUED_CALLS_CONFIG) config: QueuedCallsConfig,
  ) {
    // Only sealing here: how old a call may run is the service's decision when it opens it.
    this.seal = new QueuedCallSeal(principalSigningKeys(config) ?? DEVELOPMENT_SIGNING_KEYS, {
      maxAgeMs: Number.MAX_SAFE_INTEGER,
    });
    this.maxLength = config.ASYNC_QUEUE_MAX_LENGTH;
  }

  push(op: AnyOperation, queue: string, principal: Principal, payload: unknown): Promise<number> {
    return pushQueuedCall(this.redis, this.seal, {
      queue,
      subject: op.subject,
      principal,
      payload,
      maxLength: this.maxLength,
    });
  }
}
