import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import {
  base32Decode,
  base32Encode,
  hotp,
  matchTotpStep,
  newTotpSecret,
  otpauthUrl,
  totpCode,
  totpStep,
} from './totp';

// RFC 6238 appendix B, SHA-1 column: the seed is the ASCII "12345678901234567890".
const SEED = Buffer.from('12345678901234567890', 'ascii');
const SECRET = base32Encode(SEED);
const VECTORS: Array<[number, string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('totp (RFC 6238)', () => {
  it('matches the RFC 6238 SHA-1 test vectors at 8 digits and truncated to 6', () => {
    for (const [seconds, expected] of VECTORS) {
      const step = totpStep(new Date(seconds * 1000));
      assert.equal(hotp(SEED, step, 8), expected, `t=${seconds}`);
      assert.equal(totpCode(SECRET, new Date(seconds * 1000)), expected.slice(-6), `t=${seconds}`);
    }
  });

  it('round-trips base32 and makes 160-bit secrets', () => {
    assert.equal(SECRET, 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    assert.deepEqual(base32Decode(SECRET), SEED);
    const secret = newTotpSecret();
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.equal(base32Decode(secret).length, 20);
  });

  it('accepts codes from one step either side of a fake clock, not two', () => {
    const now = new Date(1_700_000_000_000);
    const at = (offsetSeconds: number) => new Date(now.getTime() + offsetSeconds * 1000);
    const step = totpStep(now);
    assert.equal(matchTotpStep(SECRET, totpCode(SECRET, now), now), step);
    assert.equal(matchTotpStep(SECRET, totpCode(SECRET, at(-30)), now), step - 1);
    assert.equal(matchTotpStep(SECRET, totpCode(SECRET, at(30)), now), step + 1);
    assert.equal(matchTotpStep(SECRET, totpCode(SECRET, at(-90)), now), null);
    assert.equal(matchTotpStep(SECRET, totpCode(SECRET, at(90)), now), null);
  });

  it('builds the otpauth URL authenticator apps read', () => {
    assert.equal(
      otpauthUrl('Alice_1', SECRET),
      `otpauth://totp/TRUST-NO-1:Alice_1?secret=${SECRET}&issuer=TRUST-NO-1`,
    );
  });
});
