import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '@trustno1/config';
import { marketConfigSchema } from './market-config';

describe('market config', () => {
  it('defaults HEALTH_PORT to 3105', () => {
    assert.equal(loadConfig(marketConfigSchema, {}).HEALTH_PORT, 3105);
  });

  it('names HEALTH_PORT when it is invalid', () => {
    assert.throws(
      () => loadConfig(marketConfigSchema, { HEALTH_PORT: 'eighty' }),
      (error: unknown) => error instanceof ConfigError && error.message.includes('HEALTH_PORT'),
    );
  });
});
