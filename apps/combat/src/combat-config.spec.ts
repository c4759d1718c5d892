import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '@trustno1/config';
import { combatConfigSchema } from './combat-config';

describe('combat config', () => {
  it('defaults HEALTH_PORT to 3104', () => {
    assert.equal(loadConfig(combatConfigSchema, {}).HEALTH_PORT, 3104);
  });

  it('names HEALTH_PORT when it is invalid', () => {
    assert.throws(
      () => loadConfig(combatConfigSchema, { HEALTH_PORT: 'eighty' }),
      (error: unknown) => error instanceof ConfigError && error.message.includes('HEALTH_PORT'),
    );
  });
});
