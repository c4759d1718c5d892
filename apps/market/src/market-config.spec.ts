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

  it('defaults the fee to 1 %, the tax to 5 % and the listings to 20 per character', () => {
    const config = loadConfig(marketConfigSchema, {});
    assert.equal(config.LISTING_FEE_PERCENT, 1);
    assert.equal(config.SALES_TAX_PERCENT, 5);
    assert.equal(config.MARKET_MAX_LISTINGS_PER_PLAYER, 20);
    const set = loadConfig(marketConfigSchema, {
      LISTING_FEE_PERCENT: '2.5',
      SALES_TAX_PERCENT: '0',
      MARKET_MAX_LISTINGS_PER_PLAYER: '3',
    });
    assert.deepEqual(
      [set.LISTING_FEE_PERCENT, set.SALES_TAX_PERCENT, set.MARKET_MAX_LISTINGS_PER_PLAYER],
      [2.5, 0, 3],
    );
  });

  for (const [name, value] of [
    ['LISTING_FEE_PERCENT', '-1'],
    ['LISTING_FEE_PERCENT', '101'],
    ['SALES_TAX_PERCENT', 'five'],
    ['MARKET_MAX_LISTINGS_PER_PLAYER', '0'],
    ['MARKET_MAX_LISTINGS_PER_PLAYER', '2.5'],
  ] as const) {
    it(`refuses ${name}=${value}, naming it`, () => {
      assert.throws(
        () => loadConfig(marketConfigSchema, { [name]: value }),
        (error: unknown) => error instanceof ConfigError && error.message.includes(name),
      );
    });
  }
});
