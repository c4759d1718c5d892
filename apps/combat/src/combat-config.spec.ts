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

describe('combat game rules', () => {
  it('defaults COMBAT_MAX_DAMAGE to 1000 and CORPSE_TTL_SECONDS to 1800', () => {
    const config = loadConfig(combatConfigSchema, {});
    assert.equal(config.COMBAT_MAX_DAMAGE, 1000);
    assert.equal(config.CORPSE_TTL_SECONDS, 1800);
  });

  it('names COMBAT_MAX_DAMAGE and CORPSE_TTL_SECONDS when they are invalid', () => {
    for (const [name, value] of [
      ['COMBAT_MAX_DAMAGE', '-1'],
      ['COMBAT_MAX_DAMAGE', 'lots'],
      ['CORPSE_TTL_SECONDS', '1'],
    ]) {
      assert.throws(
        () => loadConfig(combatConfigSchema, { [name]: value }),
        (error: unknown) => error instanceof ConfigError && error.message.includes(name),
      );
    }
  });
});

describe('damage:queue settings', () => {
  it('defaults to draining, with a 1 h age limit and a 10 s lease', () => {
    const config = loadConfig(combatConfigSchema, {});
    assert.deepEqual(
      [config.DAMAGE_QUEUE_DRAIN, config.DAMAGE_QUEUE_MAX_AGE_SECONDS, config.DAMAGE_QUEUE_LEASE_MS],
      [true, 3600, 10_000],
    );
    assert.equal(loadConfig(combatConfigSchema, { DAMAGE_QUEUE_DRAIN: 'false' }).DAMAGE_QUEUE_DRAIN, false);
  });

  it('names each of them when it is invalid', () => {
    for (const [name, value] of [
      ['DAMAGE_QUEUE_DRAIN', 'yes'],
      ['DAMAGE_QUEUE_MAX_AGE_SECONDS', '5'],
      ['DAMAGE_QUEUE_LEASE_MS', '10'],
    ]) {
      assert.throws(
        () => loadConfig(combatConfigSchema, { [name]: value }),
        (error: unknown) => error instanceof ConfigError && error.message.includes(name),
      );
    }
  });
});
