import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import type { Job } from 'bullmq';
import { TerritorySubjects, VehicleSubjects, WorldEventSubjects } from '@trustno1/contracts';
import { ProcessorRegistry, scheduleNamed, type QueueProducer } from '@trustno1/queues';
import { WORLD_CATALOGS } from '@trustno1/world-domain';
import { TerritoriesResourcesProcessor } from '../territories/territories-resources.processor';
import { VehiclesDecayProcessor } from '../vehicles/vehicles-decay.processor';
import { EventsProcessors, templateForTick } from './events.processors';
import { fakeBus } from '../../testing/fake-bus';

function fakeProducer() {
  const jobs: { queue: string; payload: unknown }[] = [];
  const producer = {
    enqueue: (queue: string, payload: unknown) => {
      jobs.push({ queue, payload });
      return Promise.resolve(`${queue}-${jobs.length}`);
    },
  } as unknown as QueueProducer;
  return { producer, jobs };
}

// A job of a schedule at a planned tick, as the job scheduler names them.
const TICK = Date.UTC(2026, 2, 1, 10, 15);
const scheduled = (name: string) =>
  ({ name, id: `repeat:${name}:${TICK}`, timestamp: TICK + 1234, opts: {} }) as Job;

describe('world schedules and the event_spawn queue in the worker', () => {
  it('are enabled and owned by the world', () => {
    for (const name of [
      'vehicles.decay',
      'territories.resources',
      'events.spawn',
      'events.expire',
    ] as const) {
      const s = scheduleNamed(name);
      assert.deepEqual([s.domain, s.enabled], ['world', true], name);
    }
  });

  it('send the planned tick, not the clock, to the world service as the admin principal', async () => {
    const registry = new ProcessorRegistry();
    const { bus, calls } = fakeBus((subject) =>
      subject === VehicleSubjects.decay
        ? { decayed: 0, destroyed: [] }
        : subject === TerritorySubjects.creditResources
          ? { hour: '', credited: 0 }
          : subject === WorldEventSubjects.expire
            ? { expired: [] }
            : { status: 'spawned', eventId: 'e' },
    );
    const { producer, jobs } = fakeProducer();
    new VehiclesDecayProcessor(registry, bus).onModuleInit();
    new TerritoriesResourcesProcessor(registry, bus).onModuleInit();
    new EventsProcessors(registry, bus, producer).onModuleInit();
    registry.validate(['event_spawn']);
    const schedules = registry.handlerFor('schedules');
    for (const name of ['vehicles.decay', 'territories.resources', 'events.expire'])
      await schedules(scheduled(name));
    const tick = new Date(TICK).toISOString();
    assert.deepEqual(
      calls.map((c) => [c.subject, c.payload]),
      [
        [VehicleSubjects.decay, { now: tick }],
        [TerritorySubjects.creditResources, { now: tick }],
        [WorldEventSubjects.expire, { now: tick }],
      ],
    );
    for (const call of calls) assert.deepEqual(call.opts?.principal, { kind: 'admin' });

    await schedules(scheduled('events.spawn'));
    assert.deepEqual(jobs, [
      { queue: 'event_spawn', payload: { templateId: templateForTick(new Date(TICK)), tick } },
    ]);
    const spawn = registry.handlerFor('event_spawn');
    const result = await spawn({
      name: 'event_spawn',
      id: 'x',
      data: { templateId: 'airdrop', tick },
      opts: {},
    } as Job);
    assert.deepEqual(result, { status: 'spawned', eventId: 'e' });
    assert.deepEqual(calls.at(-1)?.payload, { templateId: 'airdrop', tick });
  });

  it('cycles through every event template, one per 15-minute tick', () => {
    const ids = Array.from({ length: WORLD_CATALOGS.events.length }, (_, i) =>
      templateForTick(new Date(Date.UTC(2026, 0, 1) + i * 15 * 60_000)),
    );
    assert.deepEqual([...ids].sort(), WORLD_CATALOGS.events.map((e) => e.id).sort());
  });
});
