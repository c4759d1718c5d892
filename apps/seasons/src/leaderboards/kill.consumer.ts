import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Pool } from 'pg';
import { EventConsumer } from '@trustno1/bus';
import { CombatEvents, type PlayerKilledEvent } from '@trustno1/contracts';
import { natsUrlOf } from '@trustno1/config';
import { PG_POOL } from '@trustno1/db';
import { SEASONS_CONFIG, type SeasonsConfig } from '../seasons-config';
import { LeaderboardsService } from './leaderboards.service';

/** The durable consumer's name, also its processed_events.consumer value. */
export const KILL_CONSUMER = 'seasons_leaderboard_kills';

/**
 * Consumes combat's evt.combat.player.killed.v1 so the kill boards follow kills within seconds: a
 * durable JetStream consumer whose processed marker commits with the handler (libs/bus
 * EventConsumer). The handler writes the killer's absolute counts, so even an event applied again
 * (a crash after Redis, before the commit) moves nothing twice. Replicas share the durable consumer.
 */
@Injectable()
export class KillConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: EventConsumer<PlayerKilledEvent>;

  constructor(
    @Inject(PG_POOL) pool: Pool,
    @Inject(SEASONS_CONFIG) config: SeasonsConfig,
    leaderboards: LeaderboardsService,
  ) {
    this.consumer = new EventConsumer<PlayerKilledEvent>({
      pool,
      natsUrl: natsUrlOf(config, 'seasons'),
      name: KILL_CONSUMER,
      filterSubject: CombatEvents.playerKilled,
      streamName: config.EVENTS_STREAM,
      subjectPrefix: config.NATS_SUBJECT_PREFIX,
      logger: new Logger(KILL_CONSUMER),
      handler: (event, tx) => leaderboards.applyKill(event.data, tx),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
