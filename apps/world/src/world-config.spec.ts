import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '@trustno1/config';
import { worldConfigSchema } from './world-config';

describe('world config', () => {
  it('defaults WORLD_SEED and keeps the service defaults', () => {
    const config = loadConfig(worldConfigSchema, {});
    assert.equal(config.WORLD_SEED, 'trustno1');
    assert.equal(config.HEALTH_PORT, 3102);
    assert.equal(loadConfig(worldConfigSchema, { WORLD_SEED: 'eu-1' }).WORLD_SEED, 'eu-1');
  });

  it('names WORLD_SEED when it is invalid', () => {
    for (const bad of ['has space', 'x'.repeat(65), 'seed{1}']) {
      assert.throws(
        () => loadConfig(worldConfigSchema, { WORLD_SEED: bad }),
        (error: unknown) => error instanceof ConfigError && error.message.includes('WORLD_SEED'),
      );
    }
  });
});
