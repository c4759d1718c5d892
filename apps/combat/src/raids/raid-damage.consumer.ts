import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Pool } from 'pg';
import { EventConsumer } from '@trustno1/bus';
import { StructureEvents, type StructureDamagedEvent } from '@trustno1/contracts';
import { natsUrlOf } from '@trustno1/config';
import { PG_POOL } from '@trustno1/db';
import { RAIDS_CONFIG, type RaidsConfig } from './raids-config';
import { RaidsRepository } from './raids.repository';

/** The durable consumer's name, also its processed_events.consumer value. */
export const RAID_DAMAGE_CONSUMER = 'combat_raid_damage';

/**
 * Consumes world's evt.world.structure.damaged.v1 exactly once: a durable JetStream consumer whose
 * processed marker and record_raid_damage commit in one transaction (libs/bus EventConsumer), so a
 * redelivery after a crash is only acknowledged. Replicas share the durable consumer.
 */
@Injectable()
export class RaidDamageConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: EventConsumer<StructureDamagedEvent>;

  constructor(
    @Inject(PG_POOL) pool: Pool,
    @Inject(RAIDS_CONFIG) config: RaidsConfig,
    repository: RaidsRepository,
  ) {
    this.consumer = new EventConsumer<StructureDamagedEvent>({
      pool,
      natsUrl: natsUrlOf(config, 'combat'),
      name: RAID_DAMAGE_CONSUMER,
      filterSubject: StructureEvents.damaged,
      streamName: config.EVENTS_STREAM,
      subjectPrefix: config.NATS_SUBJECT_PREFIX,
      logger: new Logger(RAID_DAMAGE_CONSUMER),
      handler: async (event, tx) => {
        await repository.recordDamage(tx, event.data);
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
