import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { ConfigError } from '@trustno1/config';
import { loadRaidsConfig } from './raids-config';

const BASE = { DATABASE_URL: 'postgresql://x@127.0.0.1/db', NODE_ENV: 'test' };

describe('raids config', () => {
  it('closes raids idle for 10 minutes, 500 per run, by default', () => {
    const c = loadRaidsConfig(BASE);
    assert.deepEqual([c.RAID_IDLE_MINUTES, c.RAID_CLOSE_BATCH], [10, 500]);
    const set = loadRaidsConfig({ ...BASE, RAID_IDLE_MINUTES: '2.5', RAID_CLOSE_BATCH: '1' });
    assert.deepEqual([set.RAID_IDLE_MINUTES, set.RAID_CLOSE_BATCH], [2.5, 1]);
  });

  for (const [name, value] of [
    ['RAID_IDLE_MINUTES', '0'],
    ['RAID_IDLE_MINUTES', '-1'],
    ['RAID_IDLE_MINUTES', 'soon'],
    ['RAID_CLOSE_BATCH', '0'],
    ['RAID_CLOSE_BATCH', '1.5'],
  ] as const) {
    it(`refuses ${name}=${value}, naming it`, () => {
      assert.throws(
        () => loadRaidsConfig({ ...BASE, [name]: value }),
        (e: unknown) => e instanceof ConfigError && e.message.includes(name),
      );
    });
  }
});
