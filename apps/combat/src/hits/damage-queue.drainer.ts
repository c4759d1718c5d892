import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import type { Redis } from 'ioredis';
import { Counter, Gauge } from 'prom-client';
import { DEVELOPMENT_SIGNING_KEYS, QueuedCallSeal } from '@trustno1/bus';
import { principalSigningKeys } from '@trustno1/config';
import { CombatOps, DAMAGE_QUEUE } from '@trustno1/contracts';
import { QueuedCallDrainer, queuedCallKeys, type QueuedCallOutcome } from '@trustno1/host';
import { AppMetrics } from '@trustno1/observability';
import { REDIS } from '@trustno1/redis';
import { COMBAT_CONFIG, type CombatConfig } from '../combat-config';
import { HitsService } from './hits.service';

/**
 * Applies the hit batches the gateway left on `damage:queue` (`Prefer: respond-async`), one at a
 * time in the order they were accepted, as the game server that sent them, with the same effects
 * as `POST /v1/combat/hits` (one transaction per batch; a hitId is applied once, so a batch run
 * again after a crash changes nothing). One combat replica drains at a time (a Redis lease).
 */
@Injectable()
export class DamageQueueDrainer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('combat.damage-queue');
  private readonly drainer: QueuedCallDrainer<typeof CombatOps.applyHits>;
  private readonly outcomes: Counter<'outcome'>;

  constructor(
    @Inject(REDIS) redis: Redis,
    @Inject(COMBAT_CONFIG) private readonly config: CombatConfig,
    hits: HitsService,
    metrics: AppMetrics,
  ) {
    this.outcomes = new Counter({
      name: 'tn1_combat_damage_queue_batches_total',
      help: 'Hit batches taken from damage:queue, by outcome (done, dead, retry)',
      labelNames: ['outcome'],
      registers: [metrics.registry],
    });
    const keys = queuedCallKeys(DAMAGE_QUEUE);
    new Gauge({
      name: 'tn1_combat_damage_queue_length',
      help: 'Hit batches waiting on damage:queue',
      registers: [metrics.registry],
      collect: async function (this: Gauge) {
        this.set(await redis.llen(keys.queue).catch(() => -1));
      },
    });
    this.drainer = new QueuedCallDrainer({
      redis,
      queue: DAMAGE_QUEUE,
      operation: CombatOps.applyHits,
      seal: new QueuedCallSeal(principalSigningKeys(config) ?? DEVELOPMENT_SIGNING_KEYS, {
        maxAgeMs: config.DAMAGE_QUEUE_MAX_AGE_SECONDS * 1000,
      }),
      leaseMs: config.DAMAGE_QUEUE_LEASE_MS,
      run: async (request, principal) => {
        if (principal.kind !== 'server') throw new Error('admit let a non-server principal through');
        await hits.apply(principal, request, undefined);
      },
      onOutcome: (outcome) => this.record(outcome),
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.DAMAGE_QUEUE_DRAIN) this.drainer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.drainer.stop();
  }

  private record(outcome: QueuedCallOutcome): void {
    this.outcomes.inc({ outcome: outcome.kind });
    if (outcome.kind === 'dead') {
      this.logger.warn(
        { id: outcome.id, reason: outcome.reason, code: outcome.code },
        'hit batch dead-lettered',
      );
    } else if (outcome.kind === 'retry') {
      this.logger.warn({ id: outcome.id, err: outcome.error }, 'hit batch not applied yet: retrying');
    }
  }
}
