import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Job } from 'bullmq';
import { BusClient } from '@trustno1/bus';
import { FactionsOps, type RaidAlertDeliveryView } from '@trustno1/contracts';
import { ProcessorRegistry, type RaidAlertJob } from '@trustno1/queues';

/** Thrown so BullMQ retries the job with its exponential backoff. */
export class RaidAlertRetry extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RaidAlertRetry';
  }
}

/**
 * `raid_alerts` (issue 14, rule 6): asks the factions service to POST one raid alert to the
 * defending faction's webhook. A failed POST answers `retry`, and the job throws so BullMQ tries
 * again (5 tries, exponential backoff from 2 s, libs/queues job-options); the last try tells the
 * service so, which then marks the delivery failed.
 */
@Injectable()
export class RaidAlertsProcessor implements OnModuleInit {
  private readonly logger = new Logger('raid-alerts');

  constructor(
    private readonly registry: ProcessorRegistry,
    private readonly bus: BusClient,
  ) {}

  onModuleInit(): void {
    this.registry.registerQueue(
      'raid_alerts',
      (payload, job) => this.run(payload, job),
      RaidAlertsProcessor.name,
    );
  }

  async run(payload: RaidAlertJob, job: Pick<Job, 'attemptsMade' | 'opts'>): Promise<RaidAlertDeliveryView> {
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const result = await this.bus.call(
      FactionsOps.deliverRaidAlert,
      { deliveryId: payload.deliveryId, finalAttempt },
      { principal: { kind: 'admin' } },
    );
    if (result.retry) throw new RaidAlertRetry(result.error ?? 'raid alert not delivered');
    if (result.status !== 'delivered') {
      this.logger.warn(
        { deliveryId: payload.deliveryId, status: result.status, error: result.error },
        'raid alert not sent',
      );
    }
    return result;
  }
}
