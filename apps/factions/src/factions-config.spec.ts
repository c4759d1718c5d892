import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '@trustno1/config';
import { factionsConfigSchema } from './factions-config';

describe('factions config', () => {
  it('defaults HEALTH_PORT to 3106', () => {
    assert.equal(loadConfig(factionsConfigSchema, {}).HEALTH_PORT, 3106);
  });

  it('names HEALTH_PORT when it is invalid', () => {
    assert.throws(
      () => loadConfig(factionsConfigSchema, { HEALTH_PORT: 'eighty' }),
      (error: unknown) => error instanceof ConfigError && error.message.includes('HEALTH_PORT'),
    );
  });
});
