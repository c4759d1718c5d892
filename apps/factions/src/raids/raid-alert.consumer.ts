import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Pool } from 'pg';
import { EventConsumer } from '@trustno1/bus';
import { RaidEvents, type RaidStartedEvent } from '@trustno1/contracts';
import { natsUrlOf } from '@trustno1/config';
import { PG_POOL } from '@trustno1/db';
import type { QueueProducer } from '@trustno1/queues';
import { FACTIONS_CONFIG, type FactionsConfig } from '../factions-config';
import { RAID_ALERTS_PRODUCER } from './tokens';

/** The durable consumer's name, also its processed_events.consumer value. */
export const RAID_ALERT_CONSUMER = 'factions_raid_alerts';

/**
 * Consumes combat's evt.combat.raid.started.v1 exactly once: factions.plan_raid_alert claims the
 * base's cooldown and records a pending alert_deliveries row (only for a defending faction with a
 * webhook), then the raid_alerts job is added under the delivery's id. The add runs before the
 * transaction commits (the only lock held is the base's cooldown row, which only this consumer
 * takes): if Redis fails, the transaction rolls back and the event comes again; a job that runs
 * before the commit finds no row yet and is retried.
 */
@Injectable()
export class RaidAlertConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: EventConsumer<RaidStartedEvent>;

  constructor(
    @Inject(PG_POOL) pool: Pool,
    @Inject(FACTIONS_CONFIG) config: FactionsConfig,
    @Inject(RAID_ALERTS_PRODUCER) producer: QueueProducer,
  ) {
    this.consumer = new EventConsumer<RaidStartedEvent>({
      pool,
      natsUrl: natsUrlOf(config, 'factions'),
      name: RAID_ALERT_CONSUMER,
      filterSubject: RaidEvents.started,
      streamName: config.EVENTS_STREAM,
      subjectPrefix: config.NATS_SUBJECT_PREFIX,
      logger: new Logger(RAID_ALERT_CONSUMER),
      handler: async (event, tx) => {
        const { rows } = await tx.query<{ id: string | null }>(
          'SELECT factions.plan_raid_alert($1::jsonb, $2) AS id',
          [JSON.stringify(event.data), config.RAID_ALERT_COOLDOWN_MINUTES],
        );
        const deliveryId = rows[0]?.id;
        if (deliveryId) await producer.enqueue('raid_alerts', { deliveryId });
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
