import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import type { Job } from 'bullmq';
import {
  ProcessorRegistry,
  ProcessorRegistryError,
  SCHEDULE_NAMES,
  SCHEDULES,
  type ScheduleDefinition,
  type ScheduleRun,
} from '@trustno1/queues';

const noop = async () => undefined;

/** The real table with only `enabled` changed, so tests do not depend on today's flags. */
function table(enabled: string[]): ScheduleDefinition[] {
  return SCHEDULES.map((s) => ({ ...s, enabled: enabled.includes(s.name) }));
}

function problemsOf(run: () => void): string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ProcessorRegistryError, `unexpected ${String(error)}`);
    return error.problems;
  }
  return [];
}

describe('ProcessorRegistry.validate', () => {
  it('names a served queue without a processor', () => {
    const registry = new ProcessorRegistry(table([]));
    registry.registerQueue('loot_generation', noop, 'LootProcessor');
    assert.throws(
      () => registry.validate(['loot_generation', 'structure_decay']),
      /queue structure_decay has no processor/,
    );
    assert.deepEqual(
      problemsOf(() => registry.validate(['loot_generation'])),
      [],
    );
  });

  it('refuses two processors for one queue and names both', () => {
    const registry = new ProcessorRegistry(table([]));
    registry.registerQueue('event_spawn', noop, 'EventsA');
    registry.registerQueue('event_spawn', noop, 'EventsB');
    assert.throws(
      () => registry.validate(['event_spawn']),
      /queue event_spawn has 2 processors \(EventsA, EventsB\)/,
    );
  });

  it('ignores queues the worker does not serve', () => {
    const registry = new ProcessorRegistry(table([]));
    assert.deepEqual(
      problemsOf(() => registry.validate([])),
      [],
    );
    assert.equal(problemsOf(() => registry.validate(['ai_pathfinding'])).length, 1);
  });

  it('requires a handler for an enabled schedule only', () => {
    const disabled = new ProcessorRegistry(table([]));
    assert.deepEqual(
      problemsOf(() => disabled.validate(['schedules'])),
      [],
    );

    const enabled = new ProcessorRegistry(table(['corpses.cleanup']));
    assert.throws(
      () => enabled.validate(['schedules']),
      /schedule corpses\.cleanup \(inventory\) has no processor/,
    );
    enabled.registerSchedule('corpses.cleanup', noop, 'Corpses');
    assert.deepEqual(
      problemsOf(() => enabled.validate(['schedules'])),
      [],
    );
  });

  it('refuses two handlers for a schedule, enabled or not', () => {
    const registry = new ProcessorRegistry(table(['logs.archive']));
    registry.registerSchedule('logs.archive', noop, 'A');
    registry.registerSchedule('logs.archive', noop, 'B');
    registry.registerSchedule('chunks.compress', noop, 'C');
    registry.registerSchedule('chunks.compress', noop, 'D');
    const problems = problemsOf(() => registry.validate(['schedules']));
    assert.equal(problems.length, 2);
    assert.match(problems.join('\n'), /logs\.archive .* 2 processors \(A, B\)/);
    assert.match(problems.join('\n'), /chunks\.compress .* 2 processors \(C, D\)/);
  });

  it('lists every problem in one error', () => {
    const registry = new ProcessorRegistry(table(['positions.flush']));
    const problems = problemsOf(() => registry.validate(['loot_generation', 'schedules']));
    assert.equal(problems.length, 2);
  });
});

describe('ProcessorRegistry bookkeeping', () => {
  it('defaults the served queues to those with a processor', () => {
    const registry = new ProcessorRegistry(table([]));
    assert.deepEqual(registry.queuesWithProcessors(), []);
    registry.registerQueue('structure_decay', noop);
    registry.registerSchedule('logs.archive', noop);
    assert.deepEqual(registry.queuesWithProcessors(), ['structure_decay', 'schedules']);
  });

  it('reports the inactive schedules with the reason', () => {
    const registry = new ProcessorRegistry(table(['logs.archive']));
    registry.registerSchedule('logs.archive', noop);
    registry.registerSchedule('chunks.compress', noop);
    assert.deepEqual(
      registry.activeSchedules().map((s) => s.name),
      ['logs.archive'],
    );
    const inactive = registry.inactiveSchedules();
    assert.equal(inactive.length, SCHEDULES.length - 1);
    assert.equal(
      inactive.find((i) => i.schedule.name === 'chunks.compress')?.reason,
      'disabled in the schedule table',
    );
    assert.equal(
      inactive.find((i) => i.schedule.name === 'positions.flush')?.reason,
      'processor not built yet',
    );
  });

  it('validates payloads and dispatches schedule jobs by name with their tick', async () => {
    const registry = new ProcessorRegistry(table(['logs.archive']));
    const seen: unknown[] = [];
    registry.registerQueue('structure_decay', async (payload) => seen.push(payload));
    registry.registerSchedule('logs.archive', async (run: ScheduleRun) =>
      seen.push([run.schedule.name, run.tick.getTime()]),
    );

    const decay = registry.handlerFor('structure_decay');
    await decay({ data: { chunkX: 1, chunkZ: 2, tick: '2026-01-01T00:00:00Z' } } as Job);
    await assert.rejects(decay({ data: { chunkX: 1.5, chunkZ: 2, tick: 'x' } } as Job), /chunkX|tick/);

    const schedules = registry.handlerFor('schedules');
    await schedules({ name: 'logs.archive', id: 'repeat:logs.archive:42', opts: {}, timestamp: 1 } as Job);
    await schedules({ name: 'logs.archive', id: 'logs.archive.boot.x', opts: {}, timestamp: 7 } as Job);
    assert.deepEqual(await schedules({ name: 'chunks.compress', opts: {}, timestamp: 1 } as Job), {
      skipped: 'schedule disabled',
    });
    await assert.rejects(
      schedules({ name: 'chunks.compres', opts: {}, timestamp: 1 } as Job),
      /no schedule named chunks\.compres/,
    );
    assert.deepEqual(seen, [
      { chunkX: 1, chunkZ: 2, tick: '2026-01-01T00:00:00Z' },
      ['logs.archive', 42],
      ['logs.archive', 7],
    ]);
  });
});

describe('the schedule table', () => {
  it('lists every SPEC §6 schedule once, each with an owner and a valid repeat', () => {
    const names = SCHEDULES.map((s) => s.name);
    // SPEC §6's ten, matchmaking.assign (issue 3) and the world's schedules (issue 5), each once.
    assert.equal(new Set(names).size, names.length);
    assert.deepEqual([...names].sort(), [...SCHEDULE_NAMES].sort());
    for (const name of ['vehicles.decay', 'territories.resources', 'events.spawn', 'events.expire'])
      assert.ok(names.includes(name as (typeof names)[number]), name);
    for (const s of SCHEDULES) {
      assert.ok(s.domain.length > 0);
      assert.ok(
        'every' in s.repeat ? s.repeat.every >= 1_000 : s.repeat.pattern.split(' ').length === 5,
        s.name,
      );
    }
    assert.ok(SCHEDULES.find((s) => s.name === 'partitions.ensure')?.runAtBoot);
  });
});
