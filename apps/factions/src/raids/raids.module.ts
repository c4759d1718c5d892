import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { queueRedisUrl } from '@trustno1/config';
import { createQueueConnection, QueueProducer } from '@trustno1/queues';
import type { FactionsConfig } from '../factions-config';
import { RaidAlertConsumer } from './raid-alert.consumer';
import { RaidAlertsController } from './raid-alerts.controller';
import { RaidAlertsService } from './raid-alerts.service';
import { RaidReputationConsumer } from './raid-reputation.consumer';
import { RAID_ALERTS_PRODUCER, RAID_ALERTS_QUEUE_CONNECTION } from './tokens';

/** Raids seen from the factions side (issue 14): reputation from won raids (rule 4), raid alerts (rule 6). */
@Module({})
export class RaidsModule implements OnApplicationShutdown {
  constructor(
    @Inject(RAID_ALERTS_QUEUE_CONNECTION) private readonly connection: Redis,
    @Inject(RAID_ALERTS_PRODUCER) private readonly producer: QueueProducer,
  ) {}

  static forRoot(
    config: Pick<FactionsConfig, 'QUEUE_REDIS_URL' | 'REDIS_URL' | 'REDIS_KEY_PREFIX'>,
  ): DynamicModule {
    return {
      module: RaidsModule,
      controllers: [RaidAlertsController],
      providers: [
        {
          provide: RAID_ALERTS_QUEUE_CONNECTION,
          useFactory: () => createQueueConnection(queueRedisUrl(config), 'factions-raid-alerts'),
        },
        {
          provide: RAID_ALERTS_PRODUCER,
          inject: [RAID_ALERTS_QUEUE_CONNECTION],
          useFactory: (connection: Redis) =>
            new QueueProducer({ connection, redisKeyPrefix: config.REDIS_KEY_PREFIX }),
        },
        RaidReputationConsumer,
        RaidAlertConsumer,
        RaidAlertsService,
      ],
    };
  }

  /** After the consumers stopped: close the producer's queues, then the connection. */
  async onApplicationShutdown(): Promise<void> {
    await this.producer.close();
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}
