import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { enqueueEventPrisma } from '@trustno1/bus';
import {
  AppError,
  ErrorCode,
  WorldEventEvents,
  type EventRewardView,
  type ExpireEventsView,
  type JoinEventView,
  type SpawnEventView,
  type WorldEventCompletedEvent,
  type WorldEventView,
} from '@trustno1/contracts';
import { prismaTransaction, PrismaClient, runIdempotentPrisma, type IdempotencyClaim } from '@trustno1/db';
import { eventSpawnJobId } from '@trustno1/queues';
import { chunkOf, WORLD_CATALOGS, type EventTemplate, type WorldSeed } from '@trustno1/world-domain';
import { requireJoinedCharacter } from '../characters/joined-character';
import { ChunkKeysService } from '../chunks/chunk-keys.service';
import { CLOCK, type Clock } from '../clock/clock';
import { WORLD_SEED } from '../world-seed/world-seed';
import { mapProcedureErrors, invalidField } from '../procedures/procedure-errors';
import { EVENTS_CONFIG, type EventsConfig } from './events-config';
import { EventsRepository } from './events.repository';
import { pickSpawnLocation, rollFor } from './spawn-location';

/** Area of an event around its location, in world units (players inside count as near it). */
const EVENT_RADIUS = 50;

@Injectable()
export class EventsService {
  private readonly templates = new Map(WORLD_CATALOGS.events.map((e) => [e.id, e]));

  constructor(
    private readonly prisma: PrismaClient,
    private readonly repository: EventsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WORLD_SEED) private readonly seed: WorldSeed,
    @Inject(EVENTS_CONFIG) private readonly config: EventsConfig,
    private readonly keys: ChunkKeysService,
  ) {}

  list(active: boolean | undefined): Promise<WorldEventView[]> {
    return this.repository.list(this.prisma, active, this.clock.now());
  }

  /**
   * One `event_spawn` job: an event of the template at a random valid place (spawn-location.ts),
   * starting at the tick and lasting a random duration of the template's range. Place and duration
   * come from the spawn key (template, region, tick), and the key is stored with the event, so the
   * same job run twice, or two workers racing, yields one event.
   */
  async spawn(request: { templateId: string; region?: string; tick: string }): Promise<SpawnEventView> {
    const template = this.templates.get(request.templateId);
    if (!template) throw invalidField('templateId', 'unknown event template');
    const spawnKey = eventSpawnJobId(request);
    const at = pickSpawnLocation(this.seed, template, spawnKey, {
      halfSize: this.config.EVENT_WORLD_HALF_SIZE,
      attempts: this.config.EVENT_SPAWN_ATTEMPTS,
    });
    if (!at) return { status: 'no_location', attempts: this.config.EVENT_SPAWN_ATTEMPTS };
    const startedAt = new Date(request.tick);
    const { min, max } = template.durationMinutes;
    const seconds = Math.round((min + rollFor(spawnKey, 0) * (max - min)) * 60);
    const chunkX = chunkOf(at.x);
    const chunkZ = chunkOf(at.z);
    const { eventId, created } = await prismaTransaction(this.prisma, (tx) =>
      this.repository.insertOnce(tx, {
        id: randomUUID(),
        spawnKey,
        eventType: template.id,
        name: template.id.replace(/_/g, ' '),
        location: { x: at.x, y: at.y, z: at.z, radius: EVENT_RADIUS },
        chunkX,
        chunkZ,
        data: {
          templateId: template.id,
          maxParticipants: template.maxParticipants,
          biome: at.biome,
          region: request.region ?? null,
          spawnKey,
        },
        startedAt,
        endsAt: new Date(startedAt.getTime() + seconds * 1000),
      }),
    );
    if (created) await this.keys.eventSpawned({ id: eventId, chunkX, chunkZ });
    return { status: created ? 'spawned' : 'existing', eventId };
  }

  /**
   * Adds the player once; the player must be a character joined to the calling server (403).
   * Refused after the end (409, reason EVENT_ENDED) or when full (422).
   */
  async join(
    serverId: string,
    request: { eventId: string; playerId: string },
    claim: IdempotencyClaim | undefined,
  ): Promise<JoinEventView> {
    const { result } = await mapProcedureErrors(() =>
      runIdempotentPrisma(this.prisma, claim, async (tx) => {
        await requireJoinedCharacter(tx, request.playerId, serverId, 'playerId');
        return this.repository.join(tx, request.eventId, request.playerId, this.clock.now());
      }),
    );
    return result;
  }

  /**
   * Completes the event with a winner among its participants and rewards rolled from the template
   * (seeded by the event id, so a retry rolls the same), delivered to the winner's inventories in
   * the same transaction through the item ledger (complete_world_event: once per event, since only
   * an active event completes), then `evt.world.event.completed.v1` with what was delivered. The
   * row moves to the completed partition.
   */
  async complete(
    request: { eventId: string; winnerId: string },
    claim: IdempotencyClaim | undefined,
  ): Promise<WorldEventView> {
    const { result } = await mapProcedureErrors(() =>
      runIdempotentPrisma(this.prisma, claim, async (tx) => {
        const eventType = await this.repository.eventType(tx, request.eventId);
        if (!eventType)
          throw new AppError(ErrorCode.NOT_FOUND, 'Event not found', { eventId: request.eventId });
        const rewards = rollRewards(this.templates.get(eventType), request.eventId);
        const { view, delivery } = await this.repository.complete(
          tx,
          request.eventId,
          request.winnerId,
          rewards,
          this.clock.now(),
        );
        const event: WorldEventCompletedEvent = {
          eventId: view.id,
          eventType,
          winnerId: request.winnerId,
          rewards,
          itemIds: delivery.items.map((item) => item.id),
          rewardContainerInventoryId: delivery.containerInventoryId,
        };
        await enqueueEventPrisma(tx, WorldEventEvents.completed, event);
        return view;
      }),
    );
    await this.keys.eventsEnded([{ id: result.id, chunkX: result.chunkX, chunkZ: result.chunkZ }]);
    return result;
  }

  /**
   * The `events.expire` tick: completes every event past its end, without a winner. A concurrent
   * run moving the same rows to the completed partition makes this one fail with 40001, which
   * prismaTransaction retries; the retry finds nothing left to expire.
   */
  async expire(now: Date): Promise<ExpireEventsView> {
    const expired = await prismaTransaction(this.prisma, (tx) => this.repository.expire(tx, now));
    if (expired.length > 0) await this.keys.eventsEnded(await this.repository.chunksOf(this.prisma, expired));
    return { expired };
  }
}

/** One weighted pick of the template's reward table, its quantity uniform in [min, max]. */
export function rollRewards(template: EventTemplate | undefined, eventId: string): EventRewardView[] {
  if (!template) return [];
  const total = template.rewards.reduce((sum, r) => sum + r.weight, 0);
  let pick = rollFor(eventId, 1) * total;
  const reward =
    template.rewards.find((r) => (pick -= r.weight) < 0) ?? template.rewards[template.rewards.length - 1];
  const quantity = reward.min + Math.floor(rollFor(eventId, 2) * (reward.max - reward.min + 1));
  return [{ itemTemplateId: reward.itemTemplateId, quantity }];
}
