import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { ConfigError } from '@trustno1/config';
import { loadStructuresConfig } from './structures-config';

describe('structures config', () => {
  it('defaults to SPEC §4: 10,000 per chunk, a 30-unit cupboard range, batches of 500', () => {
    assert.deepEqual(loadStructuresConfig({}), {
      STRUCTURES_PER_CHUNK: 10_000,
      TC_RANGE: 30,
      DECAY_BATCH_SIZE: 500,
      OFFLINE_RAID_GRACE_MINUTES: 15,
      OFFLINE_RAID_DAMAGE_SCALE: 0.25,
    });
    assert.deepEqual(
      loadStructuresConfig({
        STRUCTURES_PER_CHUNK: '50',
        TC_RANGE: '12.5',
        DECAY_BATCH_SIZE: '1',
        OFFLINE_RAID_GRACE_MINUTES: '30',
        OFFLINE_RAID_DAMAGE_SCALE: '1',
      }),
      {
        STRUCTURES_PER_CHUNK: 50,
        TC_RANGE: 12.5,
        DECAY_BATCH_SIZE: 1,
        OFFLINE_RAID_GRACE_MINUTES: 30,
        OFFLINE_RAID_DAMAGE_SCALE: 1,
      },
    );
  });

  for (const [name, value] of [
    ['STRUCTURES_PER_CHUNK', '0'],
    ['STRUCTURES_PER_CHUNK', '1.5'],
    ['TC_RANGE', '0'],
    ['TC_RANGE', '129'],
    ['TC_RANGE', 'far'],
    ['DECAY_BATCH_SIZE', '10001'],
    ['OFFLINE_RAID_GRACE_MINUTES', '-1'],
    ['OFFLINE_RAID_DAMAGE_SCALE', '1.5'],
    ['OFFLINE_RAID_DAMAGE_SCALE', '-0.1'],
  ] as const) {
    it(`names ${name} when it is ${value}`, () => {
      assert.throws(
        () => loadStructuresConfig({ [name]: value }),
        (error: unknown) => error instanceof ConfigError && error.message.includes(name),
      );
    });
  }
});
