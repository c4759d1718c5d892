import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import type { Job } from 'bullmq';
import { InventorySubjects } from '@trustno1/contracts';
import { ProcessorRegistry, scheduleNamed } from '@trustno1/queues';
import { CorpsesCleanupProcessor } from './corpses-cleanup.processor';
import { LootGenerationProcessor } from './loot-generation.processor';
import { fakeBus } from '../testing/fake-bus';

describe('inventory jobs', () => {
  it('corpses.cleanup is enabled, owned by inventory, every minute', () => {
    const s = scheduleNamed('corpses.cleanup');
    assert.deepEqual([s.domain, s.enabled, s.repeat], ['inventory', true, { every: 60_000 }]);
  });

  it('corpses.cleanup sends the schedule tick as now, as the admin principal', async () => {
    const registry = new ProcessorRegistry();
    const { bus, calls } = fakeBus({ corpses: 2, items: 7 });
    new CorpsesCleanupProcessor(registry, bus).onModuleInit();
    const tick = Date.UTC(2026, 0, 1, 12, 0);
    const job = {
      name: 'corpses.cleanup',
      id: `repeat:corpses.cleanup:${tick}`,
      timestamp: tick + 5_000,
    } as Job;
    assert.deepEqual(await registry.handlerFor('schedules')(job), { corpses: 2, items: 7 });
    assert.equal(calls[0].subject, InventorySubjects.cleanupCorpses);
    assert.deepEqual(calls[0].payload, { now: new Date(tick).toISOString() });
    assert.deepEqual(calls[0].opts?.principal, { kind: 'admin' });
  });

  it('loot_generation passes the validated job to the inventory service and refuses a bad payload', async () => {
    const registry = new ProcessorRegistry();
    const { bus, calls } = fakeBus({ filled: true, tableId: 'crate_basic', items: [], skipped: 0 });
    new LootGenerationProcessor(registry, bus).onModuleInit();
    registry.validate(['loot_generation']);
    const handler = registry.handlerFor('loot_generation');
    const data = {
      containerId: '6d1f3c55-8a0e-4c57-9d8f-3d2f1f1f0a01',
      cycle: 'c-1',
      containerType: 'crate',
    };
    await handler({ name: 'loot', id: 'loot.x', data } as Job);
    assert.deepEqual(calls[0], {
      subject: InventorySubjects.fillLoot,
      payload: data,
      opts: { principal: { kind: 'admin' } },
    });
    await assert.rejects(
      handler({ name: 'loot', id: 'loot.y', data: { ...data, cycle: 'a.b' } } as Job),
      /cycle/,
    );
    assert.equal(calls.length, 1);
  });
});
