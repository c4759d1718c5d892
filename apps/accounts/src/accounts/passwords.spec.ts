import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { parseOptions } from '@node-rs/argon2';
import type { AppError } from '@trustno1/contracts';
import { assertNotCommon, isCommonPassword, PasswordHasher } from './passwords';

describe('passwords', () => {
  it('hashes with Argon2id at OWASP parameters and verifies only the same password', async () => {
    const hasher = new PasswordHasher();
    const stored = await hasher.hash('correct horse ✓ 🐎');
    assert.match(stored, /^\$argon2id\$/);
    const options = parseOptions(stored);
    assert.deepEqual([options.memoryCost, options.timeCost, options.parallelism], [19456, 2, 1]);
    assert.equal(await hasher.verify(stored, 'correct horse ✓ 🐎'), true);
    assert.equal(await hasher.verify(stored, 'correct horse ✓ 🐎 '), false, 'no trimming');
    // Composed and decomposed é are different passwords: nothing is normalised.
    const composed = await hasher.hash('caf\u00e9-latte');
    assert.equal(await hasher.verify(composed, 'cafe\u0301-latte'), false);
    assert.equal(await hasher.verify('not-an-argon2-hash', 'whatever1'), false);
    assert.equal(await hasher.verifyNothing('whatever1'), false);
  });

  it('refuses common passwords case-insensitively, naming the field', () => {
    assert.equal(isCommonPassword('password1'), true);
    assert.equal(isCommonPassword('PassWord1'), true);
    assert.equal(isCommonPassword('zq8!vTr#p2Lw'), false);
    assert.throws(
      () => assertNotCommon('Password1', 'newPassword'),
      (error: AppError) =>
        error.code === 'VALIDATION_FAILED' && JSON.stringify(error.details).includes('"newPassword"'),
    );
  });
});
