import { Controller } from '@nestjs/common';
import { Handle, type Call } from '@trustno1/bus';
import { WorldOps, type RequestOf } from '@trustno1/contracts';
import { EventsService } from './events.service';

const { listEvents, joinEvent, completeEvent, spawnEvent, expireEvents } = WorldOps;

/** Game servers list, join and complete events; the worker spawns and expires them (admin). */
@Controller()
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Handle(listEvents)
  list(request: RequestOf<typeof listEvents>) {
    return this.events.list(request.active);
  }

  @Handle(joinEvent)
  join(request: RequestOf<typeof joinEvent>, call: Call<typeof joinEvent>) {
    return this.events.join(call.principal.serverId, request, call.idempotency);
  }

  @Handle(completeEvent)
  complete(request: RequestOf<typeof completeEvent>, call: Call<typeof completeEvent>) {
    return this.events.complete(request, call.idempotency);
  }

  /** An `event_spawn` job (worker, admin principal). */
  @Handle(spawnEvent)
  spawn(request: RequestOf<typeof spawnEvent>) {
    return this.events.spawn(request);
  }

  /** The `events.expire` schedule's tick (worker, admin principal). */
  @Handle(expireEvents)
  expire(request: RequestOf<typeof expireEvents>) {
    return this.events.expire(new Date(request.now));
  }
}
