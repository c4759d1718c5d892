import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Counter } from 'prom-client';
import { AppMetrics } from '@trustno1/observability';
import { ProcessorRegistry } from '@trustno1/queues';
import { WORKER_CONFIG } from '../../runtime/tokens';
import type { WorkerAppConfig } from '../../worker.config';
import { RetentionRepository } from './retention.repository';

/** Batches per table per run: at most 50 × 5,000 rows an hour each, so one run stays short. */
const MAX_BATCHES = 50;
const HOUR = 3_600_000;

export interface RetentionReport {
  idempotencyKeys: number;
  outbox: number;
  processedEvents: number;
  /** Hit ids combat remembers so a retried hit applies once; kept as long as idempotency records. */
  seenHits: number;
  sessions: number;
}

/**
 * `retention.purge`, hourly: what the platform writes on every request or event and reads only for
 * a while (idempotency records, published outbox rows, processed-event records, combat's seen hit
 * ids, the set of active sessions) is deleted past its retention, so the cluster can run for months without growing
 * without bound. Counts go to `tn1_retention_removed_total{what}`.
 */
@Injectable()
export class RetentionProcessor implements OnModuleInit {
  private readonly logger = new Logger('retention');
  private readonly removed: Counter<'what'>;

  constructor(
    private readonly registry: ProcessorRegistry,
    private readonly repository: RetentionRepository,
    @Inject(WORKER_CONFIG) private readonly config: WorkerAppConfig,
    metrics: AppMetrics,
  ) {
    this.removed = new Counter({
      name: 'tn1_retention_removed_total',
      help: 'Rows and set members removed by retention.purge, by what they were',
      labelNames: ['what'],
      registers: [metrics.registry],
    });
  }

  onModuleInit(): void {
    this.registry.registerSchedule('retention.purge', () => this.run(), RetentionProcessor.name);
  }

  async run(now: Date = new Date()): Promise<RetentionReport> {
    const before = (hours: number) => new Date(now.getTime() - hours * HOUR);
    const report: RetentionReport = {
      idempotencyKeys: await this.repository.idempotencyKeys(
        before(this.config.IDEMPOTENCY_RETENTION_HOURS),
        MAX_BATCHES,
      ),
      outbox: await this.repository.publishedOutbox(before(this.config.OUTBOX_RETENTION_HOURS), MAX_BATCHES),
      processedEvents: await this.repository.processedEvents(
        before(this.config.PROCESSED_EVENTS_RETENTION_DAYS * 24),
        MAX_BATCHES,
      ),
      seenHits: await this.repository.seenHits(before(this.config.IDEMPOTENCY_RETENTION_HOURS), MAX_BATCHES),
      sessions: await this.repository.expiredSessions(),
    };
    for (const [what, count] of Object.entries(report) as [string, number][])
      this.removed.inc({ what }, count);
    this.logger.log(report, 'retention purged');
    return report;
  }
}
