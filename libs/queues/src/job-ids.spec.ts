import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import {
  compactTick,
  decayJobId,
  eventSpawnJobId,
  jobIdFor,
  lootJobId,
  parseJobPayload,
  pathfindingJobId,
  PROCESSING_QUEUES,
} from '@trustno1/queues';

const CONTAINER = '6f1c2d3e-4b5a-4c6d-8e7f-901234567890';

describe('job payloads', () => {
  it('accepts the documented shapes', () => {
    parseJobPayload('loot_generation', {
      containerId: CONTAINER,
      cycle: 'c42',
      containerType: 'crate',
      biome: 'forest',
    });
    parseJobPayload('structure_decay', { chunkX: -3, chunkZ: 7, tick: '2026-01-01T00:10:00.000Z' });
    parseJobPayload('event_spawn', { templateId: 'airdrop', tick: '2026-01-01T00:10:00Z' });
    parseJobPayload('ai_pathfinding', { from: { x: 1.5, z: 2 }, to: { x: -4, z: 9.25 } });
  });

  it('rejects bad fields by name', () => {
    assert.throws(
      () => parseJobPayload('loot_generation', { containerId: 'nope', cycle: 'c', containerType: 'crate' }),
      /containerId/,
    );
    assert.throws(
      () => parseJobPayload('structure_decay', { chunkX: 1.5, chunkZ: 0, tick: '2026-01-01T00:00:00Z' }),
      /chunkX/,
    );
    assert.throws(
      () => parseJobPayload('structure_decay', { chunkX: 1, chunkZ: 0, tick: 'yesterday' }),
      /tick/,
    );
    // A '.' in a token would make two payloads share a job id.
    assert.throws(
      () => parseJobPayload('event_spawn', { templateId: 'a.b', tick: '2026-01-01T00:00:00Z' }),
      /templateId/,
    );
    assert.throws(() => parseJobPayload('ai_pathfinding', { from: { x: 1, z: 2 }, to: { x: 3 } }), /to/);
    assert.throws(
      () => parseJobPayload('ai_pathfinding', { from: { x: 1, z: 2 }, to: { x: 3, z: 4 }, extra: 1 }),
      /extra/,
    );
  });
});

describe('job ids', () => {
  it('never contain ":" (BullMQ refuses such custom ids)', () => {
    const ids = [
      lootJobId({ containerId: CONTAINER, cycle: 'c1', containerType: 'crate' }),
      decayJobId({ chunkX: -1, chunkZ: 2, tick: '2026-01-01T00:10:00+02:00' }),
      eventSpawnJobId({ templateId: 'airdrop', region: 'eu', tick: '2026-01-01T00:10:00Z' }),
      pathfindingJobId({ from: { x: 1, z: 2 }, to: { x: 3, z: 4 } }),
    ];
    for (const id of ids) {
      assert.doesNotMatch(id, /:/);
      assert.notEqual(`${parseInt(id, 10)}`, id);
    }
    assert.equal(ids[0], `loot.${CONTAINER}.c1`);
    assert.equal(ids[1], 'decay.-1.2.20251231T221000.000Z');
  });

  it('names one tick however it is written', () => {
    assert.equal(compactTick('2026-01-01T00:10:00Z'), compactTick('2026-01-01T01:10:00.000+01:00'));
    const a = decayJobId({ chunkX: 0, chunkZ: 0, tick: '2026-01-01T00:10:00Z' });
    const b = decayJobId({ chunkX: 0, chunkZ: 0, tick: '2026-01-01T00:10:00.000Z' });
    assert.equal(a, b);
  });

  it('differ when the work differs', () => {
    const tick = '2026-01-01T00:10:00Z';
    const ids = new Set([
      decayJobId({ chunkX: 1, chunkZ: 12, tick }),
      decayJobId({ chunkX: 11, chunkZ: 2, tick }),
      decayJobId({ chunkX: 1, chunkZ: 12, tick: '2026-01-01T00:20:00Z' }),
      pathfindingJobId({ from: { x: 1.5, z: 2 }, to: { x: 0, z: 0 } }),
      pathfindingJobId({ from: { x: 1, z: 5.2 }, to: { x: 0, z: 0 } }),
      eventSpawnJobId({ templateId: 'airdrop', tick }),
      eventSpawnJobId({ templateId: 'airdrop', region: 'eu', tick }),
    ]);
    assert.equal(ids.size, 7);
  });

  it('has a builder for every processing queue', () => {
    const samples = {
      loot_generation: { containerId: CONTAINER, cycle: 'c1', containerType: 'crate' },
      structure_decay: { chunkX: 1, chunkZ: 1, tick: '2026-01-01T00:00:00Z' },
      event_spawn: { templateId: 'airdrop', tick: '2026-01-01T00:00:00Z' },
      ai_pathfinding: { from: { x: 0, z: 0 }, to: { x: 1, z: 1 } },
      raid_alerts: { deliveryId: CONTAINER },
    } as const;
    const prefixes = PROCESSING_QUEUES.map((queue) => jobIdFor(queue, samples[queue] as never).split('.')[0]);
    assert.deepEqual(prefixes, ['loot', 'decay', 'event', 'path', 'raidalert']);
  });
});
