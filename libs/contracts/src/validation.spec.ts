import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { AppError, ErrorCode, httpStatusOf, parsePayload } from '@trustno1/contracts';

const body = z.strictObject({
  name: z.string().max(32),
  position: z.strictObject({ x: z.number(), y: z.number(), z: z.number() }),
});

describe('parsePayload', () => {
  it('returns the parsed value when valid', () => {
    assert.deepEqual(parsePayload(body, { name: 'a', position: { x: 1, y: 2, z: 3 } }), {
      name: 'a',
      position: { x: 1, y: 2, z: 3 },
    });
  });

  it('names each bad, missing and unknown field', () => {
    try {
      parsePayload(body, { name: 7, position: { x: 'one', y: 2 }, extra: true });
      assert.fail('should have thrown');
    } catch (error) {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, ErrorCode.VALIDATION_FAILED);
      const fields = (error.details as { fields: Array<{ field: string }> }).fields
        .map((f) => f.field)
        .sort();
      assert.deepEqual(fields, ['extra', 'name', 'position.x', 'position.z']);
    }
  });

  it('reports a body that is not an object', () => {
    assert.throws(
      () => parsePayload(body, 'text'),
      (e: unknown) => e instanceof AppError && /\(body\)/.test(e.message),
    );
  });
});

describe('httpStatusOf', () => {
  it('maps the codes of SPEC §7', () => {
    assert.equal(httpStatusOf('VALIDATION_FAILED'), 400);
    assert.equal(httpStatusOf('INVALID_CREDENTIALS'), 401);
    assert.equal(httpStatusOf('ACCOUNT_BANNED'), 403);
    assert.equal(httpStatusOf('NOT_FOUND'), 404);
    assert.equal(httpStatusOf('ALREADY_ONLINE'), 409);
    assert.equal(httpStatusOf('IDEMPOTENCY_KEY_REUSED'), 409);
    assert.equal(httpStatusOf('BUILD_BLOCKED'), 422);
    assert.equal(httpStatusOf('INVENTORY_LOCKED'), 423);
    assert.equal(httpStatusOf('RATE_LIMITED'), 429);
    assert.equal(httpStatusOf('UNAVAILABLE'), 503);
    assert.equal(httpStatusOf('SOMETHING_ELSE'), 500);
  });
});
