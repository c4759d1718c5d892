import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { EventConsumer } from '@trustno1/bus';
import { TerritoryEvents, type TerritoryCapturedEvent } from '@trustno1/contracts';
import { natsUrlOf } from '@trustno1/config';
import { PG_POOL } from '@trustno1/db';
import { FACTIONS_CONFIG, type FactionsConfig } from '../factions-config';

/** The durable consumer's name, also its processed_events.consumer value. */
export const TERRITORY_CAPTURE_CONSUMER = 'factions_territory_capture';

/** The reputation side of a capture, in the consumer's transaction (factions.record_territory_capture). */
export async function recordTerritoryCapture(tx: PoolClient, event: TerritoryCapturedEvent): Promise<void> {
  await tx.query('SELECT factions.record_territory_capture($1::jsonb)', [JSON.stringify(event)]);
}

/**
 * Consumes world's evt.world.territory.captured.v1 exactly once: a durable JetStream consumer
 * whose processed marker and the reputation change commit in one transaction (libs/bus
 * EventConsumer), so a redelivery after a crash is only acknowledged.
 */
@Injectable()
export class TerritoryCaptureConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: EventConsumer<TerritoryCapturedEvent>;

  constructor(@Inject(PG_POOL) pool: Pool, @Inject(FACTIONS_CONFIG) config: FactionsConfig) {
    this.consumer = new EventConsumer<TerritoryCapturedEvent>({
      pool,
      natsUrl: natsUrlOf(config, 'factions'),
      name: TERRITORY_CAPTURE_CONSUMER,
      filterSubject: TerritoryEvents.captured,
      streamName: config.EVENTS_STREAM,
      subjectPrefix: config.NATS_SUBJECT_PREFIX,
      logger: new Logger(TERRITORY_CAPTURE_CONSUMER),
      handler: (event, tx) => recordTerritoryCapture(tx, event.data),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
