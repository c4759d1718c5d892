import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Pool } from 'pg';
import { OutboxRelay } from '@trustno1/bus';
import { natsUrlOf } from '@trustno1/config';
import { PG_POOL, PrismaClient } from '@trustno1/db';
import { HealthRegistry } from '@trustno1/observability';
import { WORKER_CONFIG } from '../../runtime/tokens';
import type { WorkerAppConfig } from '../../worker.config';

/**
 * Publishes every service's committed outbox rows to the JetStream stream. The relay itself
 * (libs/bus) stays on pg: it holds one session for LISTEN and claims rows in its own transactions. Replicas share the
 * backlog (rows are claimed with SKIP LOCKED) and JetStream drops a row published twice (its id is
 * the Nats-Msg-Id), so any number of workers may run it.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly relay: OutboxRelay;

  constructor(
    @Inject(PG_POOL) pool: Pool,
    @Inject(WORKER_CONFIG) config: WorkerAppConfig,
    health: HealthRegistry,
    prisma: PrismaClient,
  ) {
    this.relay = new OutboxRelay({
      pool,
      natsUrl: natsUrlOf(config, 'worker'),
      streamName: config.EVENTS_STREAM,
      subjectPrefix: config.NATS_SUBJECT_PREFIX,
      logger: new Logger('outbox-relay'),
    });
    health.register({
      name: 'outbox',
      check: async () => {
        // Ready while the backlog drains; a relay stuck for minutes shows here.
        const [row] = await prisma.$queryRaw<{ age: number | null }[]>`
          SELECT EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS age FROM outbox WHERE published_at IS NULL`;
        const age = row?.age ?? 0;
        if (age > 300) throw new Error(`oldest unpublished event is ${Math.round(age)} s old`);
      },
    });
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}
