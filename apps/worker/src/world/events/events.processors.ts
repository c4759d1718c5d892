import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { BusClient } from '@trustno1/bus';
import { WorldOps, type ExpireEventsView, type SpawnEventView } from '@trustno1/contracts';
import {
  ProcessorRegistry,
  QueueProducer,
  scheduleNamed,
  type EventSpawnJob,
  type ScheduleRun,
} from '@trustno1/queues';
import { WORLD_CATALOGS } from '@trustno1/world-domain';
import { EVENTS_PRODUCER } from './tokens';

const SPAWN_REPEAT = scheduleNamed('events.spawn').repeat;
/** The `events.spawn` interval (15 min unless the table says otherwise; a cron line counts as hourly). */
const SPAWN_EVERY_MS = 'every' in SPAWN_REPEAT ? SPAWN_REPEAT.every : 3_600_000;

/** The template a spawn tick creates: the catalog's event templates in turn, one per tick. */
export function templateForTick(tick: Date, templates = WORLD_CATALOGS.events): string {
  const index = Math.floor(tick.getTime() / SPAWN_EVERY_MS) % templates.length;
  return templates[index].id;
}

/**
 * World events in the worker: the `events.spawn` schedule enqueues one `event_spawn` job per tick
 * (job id = template and tick, so a repeated tick enqueues nothing new), the `event_spawn` queue
 * asks the world service to create the event, and `events.expire` completes events past their end.
 * The world service owns `world_events`; these only carry the ticks to it as the admin principal.
 */
@Injectable()
export class EventsProcessors implements OnModuleInit {
  private readonly logger = new Logger('world-events');

  constructor(
    private readonly registry: ProcessorRegistry,
    private readonly bus: BusClient,
    @Inject(EVENTS_PRODUCER) private readonly producer: QueueProducer,
  ) {}

  onModuleInit(): void {
    this.registry.registerSchedule('events.spawn', (run) => this.enqueueSpawn(run), EventsProcessors.name);
    this.registry.registerQueue('event_spawn', (payload) => this.spawn(payload), EventsProcessors.name);
    this.registry.registerSchedule('events.expire', (run) => this.expire(run), EventsProcessors.name);
  }

  async enqueueSpawn(run: Pick<ScheduleRun, 'tick'>): Promise<{ jobId: string }> {
    const payload = { templateId: templateForTick(run.tick), tick: run.tick.toISOString() };
    return { jobId: await this.producer.enqueue('event_spawn', payload) };
  }

  async spawn(payload: EventSpawnJob): Promise<SpawnEventView> {
    const result = await this.bus.call(WorldOps.spawnEvent, payload, {
      principal: { kind: 'admin' },
    });
    if (result.status === 'no_location')
      this.logger.warn({ ...payload, ...result }, 'no valid place for the event');
    return result;
  }

  async expire(run: Pick<ScheduleRun, 'tick'>): Promise<ExpireEventsView> {
    const result = await this.bus.call(
      WorldOps.expireEvents,
      { now: run.tick.toISOString() },
      { principal: { kind: 'admin' } },
    );
    if (result.expired.length > 0) this.logger.log({ expired: result.expired.length }, 'events expired');
    return result;
  }
}
