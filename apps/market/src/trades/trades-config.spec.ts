import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { ConfigError } from '@trustno1/config';
import { loadTradesConfig } from './trades-config';

const BASE = { DATABASE_URL: 'postgresql://x@127.0.0.1/db', NODE_ENV: 'test' };

describe('trades config', () => {
  it('times trades out after 60 s idle and cancels 500 per run by default', () => {
    const c = loadTradesConfig(BASE);
    assert.deepEqual([c.TRADE_TIMEOUT_SECONDS, c.TRADE_EXPIRE_BATCH], [60, 500]);
    const set = loadTradesConfig({ ...BASE, TRADE_TIMEOUT_SECONDS: '15', TRADE_EXPIRE_BATCH: '1' });
    assert.deepEqual([set.TRADE_TIMEOUT_SECONDS, set.TRADE_EXPIRE_BATCH], [15, 1]);
  });

  for (const [name, value] of [
    ['TRADE_TIMEOUT_SECONDS', '0'],
    ['TRADE_TIMEOUT_SECONDS', '4'],
    ['TRADE_TIMEOUT_SECONDS', '2.5'],
    ['TRADE_TIMEOUT_SECONDS', 'soon'],
    ['TRADE_TIMEOUT_SECONDS', '3601'],
    ['TRADE_EXPIRE_BATCH', '0'],
    ['TRADE_EXPIRE_BATCH', '1.5'],
  ] as const) {
    it(`refuses ${name}=${value}, naming it`, () => {
      assert.throws(
        () => loadTradesConfig({ ...BASE, [name]: value }),
        (e: unknown) => e instanceof ConfigError && e.message.includes(name),
      );
    });
  }
});
