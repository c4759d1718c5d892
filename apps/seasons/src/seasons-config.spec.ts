import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '@trustno1/config';
import { seasonsConfigSchema } from './seasons-config';

describe('seasons config', () => {
  it('defaults HEALTH_PORT to 3108', () => {
    assert.equal(loadConfig(seasonsConfigSchema, {}).HEALTH_PORT, 3108);
  });

  it('names HEALTH_PORT when it is invalid', () => {
    assert.throws(
      () => loadConfig(seasonsConfigSchema, { HEALTH_PORT: 'eighty' }),
      (error: unknown) => error instanceof ConfigError && error.message.includes('HEALTH_PORT'),
    );
  });
});
