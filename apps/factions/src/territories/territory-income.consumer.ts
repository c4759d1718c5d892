import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Pool } from 'pg';
import { EventConsumer } from '@trustno1/bus';
import { TerritoryEvents, type TerritoryResourcesCreditedEvent } from '@trustno1/contracts';
import { natsUrlOf } from '@trustno1/config';
import { PG_POOL } from '@trustno1/db';
import { FACTIONS_CONFIG, type FactionsConfig } from '../factions-config';

/** The durable consumer's name, also its processed_events.consumer value. */
export const TERRITORY_INCOME_CONSUMER = 'factions_territory_income';

/**
 * Consumes world's evt.world.territory.resources.credited.v1 exactly once (world writes one per
 * territory and hour, however often its tick runs): the processed marker and the treasury credit
 * (factions.credit_territory_income) commit in one transaction.
 */
@Injectable()
export class TerritoryIncomeConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: EventConsumer<TerritoryResourcesCreditedEvent>;

  constructor(@Inject(PG_POOL) pool: Pool, @Inject(FACTIONS_CONFIG) config: FactionsConfig) {
    this.consumer = new EventConsumer<TerritoryResourcesCreditedEvent>({
      pool,
      natsUrl: natsUrlOf(config, 'factions'),
      name: TERRITORY_INCOME_CONSUMER,
      filterSubject: TerritoryEvents.resourcesCredited,
      streamName: config.EVENTS_STREAM,
      subjectPrefix: config.NATS_SUBJECT_PREFIX,
      logger: new Logger(TERRITORY_INCOME_CONSUMER),
      handler: async (event, tx) => {
        await tx.query('SELECT factions.credit_territory_income($1::jsonb)', [JSON.stringify(event.data)]);
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
