import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { loadConfig, ConfigError } from '@trustno1/config';
import { accountsConfigSchema } from '../accounts-config';
import { base32Encode } from './totp';
import { TotpSealer } from './totp-seal';

const key = () => randomBytes(32).toString('base64');

describe('TotpSealer', () => {
  it('seals a secret so that only the same key and account open it', () => {
    const sealer = new TotpSealer(key());
    const account = randomUUID();
    const secret = base32Encode(randomBytes(20));
    const sealed = sealer.seal(account, secret);
    assert.match(sealed, /^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    assert.ok(!sealed.includes(secret));
    assert.ok(sealed.length <= 255, `${sealed.length} characters fit the column`);
    assert.equal(sealer.open(account, sealed), secret);
    assert.notEqual(sealer.seal(account, secret), sealed, 'a fresh IV each time');
    assert.throws(() => sealer.open(randomUUID(), sealed), 'another account');
    assert.throws(() => new TotpSealer(key()).open(account, sealed), 'another key');
    const [v, iv, tag, body] = sealed.split('.');
    const flipped = `${body[0] === 'A' ? 'B' : 'A'}${body.slice(1)}`;
    assert.throws(() => sealer.open(account, [v, iv, tag, flipped].join('.')), 'tampered');
  });

  it('reads rows from before sealing (plain base32) as they are', () => {
    const secret = base32Encode(randomBytes(20));
    assert.equal(new TotpSealer(key()).open(randomUUID(), secret), secret);
  });

  it('refuses a key that is not 32 bytes', () => {
    assert.throws(() => new TotpSealer(randomBytes(16).toString('base64')));
  });
});

describe('accounts config', () => {
  it('requires TOTP_ENCRYPTION_KEY in production and checks its shape', () => {
    const missing = () => loadConfig(accountsConfigSchema, { NODE_ENV: 'production' });
    assert.throws(
      missing,
      (e: unknown) => e instanceof ConfigError && e.message.includes('TOTP_ENCRYPTION_KEY'),
    );
    const short = () =>
      loadConfig(accountsConfigSchema, { TOTP_ENCRYPTION_KEY: randomBytes(16).toString('base64') });
    assert.throws(
      short,
      (e: unknown) => e instanceof ConfigError && e.message.includes('TOTP_ENCRYPTION_KEY'),
    );
    const good = key();
    assert.equal(
      loadConfig(accountsConfigSchema, { NODE_ENV: 'production', TOTP_ENCRYPTION_KEY: good })
        .TOTP_ENCRYPTION_KEY,
      good,
    );
    assert.equal(loadConfig(accountsConfigSchema, {}).TOTP_ENCRYPTION_KEY, undefined);
  });
});
