import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { AppError, ErrorCode } from '@trustno1/contracts';
import { databaseUnavailable } from '@trustno1/db';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('databaseUnavailable', () => {
  it('names what a retry can clear, and leaves everything else alone', () => {
    const cases: Array<[unknown, string | null]> = [
      [new Error('timeout exceeded when trying to connect'), 'pool_exhausted'],
      [pgError('40001'), 'contention'],
      [pgError('40P01'), 'contention'],
      [pgError('08006'), 'database_down'],
      [pgError('57P01'), 'database_down'],
      [pgError('ECONNREFUSED'), 'database_down'],
      [new Error('Connection terminated unexpectedly'), 'database_down'],
      [pgError('23505'), null],
      [pgError('P0001', 'SLOT_OCCUPIED'), null],
      [new AppError(ErrorCode.NOT_FOUND, 'nope'), null],
      [new Error('a bug'), null],
      ['a string', null],
    ];
    for (const [error, reason] of cases) {
      const mapped = databaseUnavailable(error);
      assert.equal(mapped ? (mapped.details as { reason: string }).reason : null, reason, String(error));
      if (mapped) assert.equal(mapped.code, ErrorCode.UNAVAILABLE);
    }
  });
});
