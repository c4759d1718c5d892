import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Meta, type RequestMeta } from '@trustno1/bus';
import {
  completeEventRequest,
  expireEventsRequest,
  joinEventRequest,
  listEventsRequest,
  parsePayload,
  spawnEventRequest,
  WorldEventSubjects,
  type ExpireEventsView,
  type JoinEventView,
  type SpawnEventView,
  type WorldEventView,
} from '@trustno1/contracts';
import { idempotencyClaim } from '@trustno1/db';
import { requireAdmin, requireServer } from '../common/principals';
import { EventsService } from './events.service';

/** Game servers list, join and complete events; the worker spawns and expires them (admin). */
@Controller()
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @MessagePattern(WorldEventSubjects.list)
  list(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<WorldEventView[]> {
    const { active } = parsePayload(listEventsRequest, payload ?? {});
    requireServer(meta.principal);
    return this.events.list(active);
  }

  @MessagePattern(WorldEventSubjects.join)
  join(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<JoinEventView> {
    const request = parsePayload(joinEventRequest, payload);
    const serverId = requireServer(meta.principal);
    return this.events.join(serverId, request, idempotencyClaim(WorldEventSubjects.join, payload, meta));
  }

  @MessagePattern(WorldEventSubjects.complete)
  complete(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<WorldEventView> {
    const request = parsePayload(completeEventRequest, payload);
    requireServer(meta.principal);
    return this.events.complete(request, idempotencyClaim(WorldEventSubjects.complete, payload, meta));
  }

  /** An `event_spawn` job (worker, admin principal). */
  @MessagePattern(WorldEventSubjects.spawn)
  spawn(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<SpawnEventView> {
    const request = parsePayload(spawnEventRequest, payload);
    requireAdmin(meta.principal);
    return this.events.spawn(request);
  }

  /** The `events.expire` schedule's tick (worker, admin principal). */
  @MessagePattern(WorldEventSubjects.expire)
  expire(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<ExpireEventsView> {
    const { now } = parsePayload(expireEventsRequest, payload);
    requireAdmin(meta.principal);
    return this.events.expire(new Date(now));
  }
}
