import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Pool } from 'pg';
import { EventConsumer } from '@trustno1/bus';
import { RaidEvents, type RaidEndedEvent } from '@trustno1/contracts';
import { natsUrlOf } from '@trustno1/config';
import { PG_POOL } from '@trustno1/db';
import { FACTIONS_CONFIG, type FactionsConfig } from '../factions-config';

/** The durable consumer's name, also its processed_events.consumer value. */
export const RAID_REPUTATION_CONSUMER = 'factions_raid_reputation';

/**
 * Consumes combat's evt.combat.raid.ended.v1 exactly once: on a successful raid the raiding
 * faction gains reputation and the defending one loses some (factions.record_raid_reputation,
 * claimed once per raid), in the transaction that marks the event processed.
 */
@Injectable()
export class RaidReputationConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: EventConsumer<RaidEndedEvent>;

  constructor(@Inject(PG_POOL) pool: Pool, @Inject(FACTIONS_CONFIG) config: FactionsConfig) {
    this.consumer = new EventConsumer<RaidEndedEvent>({
      pool,
      natsUrl: natsUrlOf(config, 'factions'),
      name: RAID_REPUTATION_CONSUMER,
      filterSubject: RaidEvents.ended,
      streamName: config.EVENTS_STREAM,
      subjectPrefix: config.NATS_SUBJECT_PREFIX,
      logger: new Logger(RAID_REPUTATION_CONSUMER),
      handler: async (event, tx) => {
        await tx.query('SELECT factions.record_raid_reputation($1::jsonb)', [JSON.stringify(event.data)]);
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
