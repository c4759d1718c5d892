import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import {
  ConfigError,
  devNatsPasswordEnvFor,
  gatewayConfigSchema,
  loadConfig,
  natsConnectOptions,
  natsPasswordVariable,
  natsUrlOf,
  queueRedisUrl,
  redactNatsUrl,
  serviceConfigSchema,
} from '@trustno1/config';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(gatewayConfigSchema, {});
    assert.equal(config.DATABASE_URL, 'postgresql://postgres@127.0.0.1:5432/trustno1');
    assert.equal(config.REDIS_URL, 'redis://127.0.0.1:6379');
    assert.equal(queueRedisUrl(config), 'redis://127.0.0.1:6379');
    assert.equal(config.NATS_URL, 'nats://127.0.0.1:4222');
    assert.equal(config.HTTP_PORT, 3000);
    assert.equal(config.LOG_LEVEL, 'info');
    assert.equal(config.ASYNC_QUEUE_MAX_LENGTH, 100_000);
  });

  it('names ASYNC_QUEUE_MAX_LENGTH when it is not a positive count', () => {
    for (const value of ['0', 'many', '1.5']) {
      assert.throws(
        () => loadConfig(gatewayConfigSchema, { ASYNC_QUEUE_MAX_LENGTH: value }),
        /ASYNC_QUEUE_MAX_LENGTH/,
      );
    }
  });

  it('names the variable that is invalid', () => {
    assert.throws(
      () => loadConfig(gatewayConfigSchema, { HTTP_PORT: 'eighty', LOG_LEVEL: 'loud' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.length === 2 &&
        error.message.includes('HTTP_PORT') &&
        error.message.includes('LOG_LEVEL'),
    );
  });

  it('rejects a URL of the wrong kind and hides secrets in the message', () => {
    assert.throws(() => loadConfig(gatewayConfigSchema, { DATABASE_URL: 'mysql://x' }), /DATABASE_URL/);
    assert.throws(
      () => loadConfig(gatewayConfigSchema, { ADMIN_API_KEY: 'short-secret' }),
      (error: unknown) =>
        error instanceof Error && /ADMIN_API_KEY/.test(error.message) && !/short-secret/.test(error.message),
    );
  });

  it('gives each service its own health port and keeps QUEUE_REDIS_URL when set', () => {
    const config = loadConfig(serviceConfigSchema('inventory'), { QUEUE_REDIS_URL: 'redis://10.0.0.1:6380' });
    assert.equal(config.HEALTH_PORT, 3103);
    assert.equal(queueRedisUrl(config), 'redis://10.0.0.1:6380');
  });

  it('treats an empty variable as unset', () => {
    assert.equal(loadConfig(serviceConfigSchema('world'), { HEALTH_PORT: '' }).HEALTH_PORT, 3102);
  });

  it('takes <APP>_<NAME> for one app over <NAME>, and names it when invalid', () => {
    const env = { HEALTH_PORT: '4000', WORLD_HEALTH_PORT: '4002', INVENTORY_DATABASE_POOL_SIZE: '3' };
    assert.equal(loadConfig(serviceConfigSchema('world'), env, 'world').HEALTH_PORT, 4002);
    assert.equal(loadConfig(serviceConfigSchema('accounts'), env, 'accounts').HEALTH_PORT, 4000);
    assert.equal(loadConfig(serviceConfigSchema('inventory'), env, 'inventory').DATABASE_POOL_SIZE, 3);
    assert.equal(loadConfig(serviceConfigSchema('world'), env, 'world').DATABASE_POOL_SIZE, 10);
    assert.throws(
      () => loadConfig(serviceConfigSchema('world'), { WORLD_HEALTH_PORT: 'x' }, 'world'),
      (e: unknown) => e instanceof ConfigError && /WORLD_HEALTH_PORT/.test(e.message),
    );
  });
});

describe('NATS credentials', () => {
  const base = { NODE_ENV: 'development' as const, NATS_URL: 'nats://127.0.0.1:4222' };

  it("puts NATS_USER (default: the app's name) and NATS_PASSWORD into the URL, URL-encoded", () => {
    assert.equal(
      natsUrlOf({ ...base, NATS_PASSWORD: 'p@ss:w/rd' }, 'inventory'),
      'nats://inventory:p%40ss%3Aw%2Frd@127.0.0.1:4222',
    );
    assert.equal(
      natsUrlOf({ ...base, NATS_USER: 'ops', NATS_PASSWORD: 'x' }, 'inventory'),
      'nats://ops:x@127.0.0.1:4222',
    );
    assert.equal(natsUrlOf(base, 'inventory'), 'nats://127.0.0.1:4222');
  });

  it('refuses a production app without a NATS password, unless NATS_URL carries one', () => {
    assert.throws(() => natsUrlOf({ ...base, NODE_ENV: 'production' }, 'world'), /NATS_PASSWORD: required/);
    assert.equal(
      natsUrlOf({ ...base, NODE_ENV: 'production', NATS_URL: 'nats://world:s3cret@nats:4222' }, 'world'),
      'nats://world:s3cret@nats:4222',
    );
  });

  it('hands nats.js the server without credentials and the user and password apart', () => {
    assert.deepEqual(natsConnectOptions('nats://inventory:p%40ss@127.0.0.1:4222'), {
      servers: 'nats://127.0.0.1:4222',
      user: 'inventory',
      pass: 'p@ss',
    });
    assert.deepEqual(natsConnectOptions('nats://127.0.0.1:4222'), { servers: 'nats://127.0.0.1:4222' });
    assert.equal(redactNatsUrl('nats://inventory:secret@nats:4222'), 'nats://inventory:***@nats:4222');
  });

  it('gives every user of a generated configuration its development password', () => {
    const config =
      '    {\n      user: "game_server"\n      password: $TN1_NATS_PASSWORD_GAME_SERVER\n    }\n';
    assert.deepEqual(devNatsPasswordEnvFor(config), { TN1_NATS_PASSWORD_GAME_SERVER: 'tn1-dev-game-server' });
    assert.equal(natsPasswordVariable('inventory'), 'TN1_NATS_PASSWORD_INVENTORY');
  });
});
