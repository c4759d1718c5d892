import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { HttpException, NotFoundException } from '@nestjs/common';
import { AppError, ErrorCode } from '@trustno1/contracts';
import { toHttpError } from './http-errors';

/** What Nest's Fastify adapter hands the filter for Fastify's own errors. */
function fastifyError(statusCode: number, code: string): HttpException {
  return new HttpException('fastify says no', statusCode, {
    cause: Object.assign(new Error('x'), { statusCode, code }),
  });
}

describe('toHttpError', () => {
  it('keeps the code, details and status of an AppError', () => {
    const mapped = toHttpError(new AppError(ErrorCode.INVENTORY_LOCKED, 'locked', { inventoryId: 'i' }));
    assert.equal(mapped.status, 423);
    assert.deepEqual(mapped.envelope, {
      code: 'INVENTORY_LOCKED',
      message: 'locked',
      details: { inventoryId: 'i' },
    });
  });

  it('carries Retry-After for rate limits', () => {
    const mapped = toHttpError(new AppError(ErrorCode.RATE_LIMITED, 'slow down', { retryAfterSeconds: 7 }));
    assert.equal(mapped.status, 429);
    assert.equal(mapped.retryAfterSeconds, 7);
  });

  it('maps malformed JSON to 400 VALIDATION_FAILED naming the body', () => {
    const mapped = toHttpError(fastifyError(400, 'FST_ERR_CTP_INVALID_JSON_BODY'));
    assert.equal(mapped.status, 400);
    assert.equal(mapped.envelope.code, 'VALIDATION_FAILED');
    assert.equal(mapped.envelope.message, 'Malformed JSON body');
    assert.deepEqual(mapped.envelope.details, {
      fields: [{ field: '(body)', message: 'Malformed JSON body' }],
    });
  });

  it('maps an oversize body to 413 and an unknown route to 404', () => {
    assert.equal(
      toHttpError(fastifyError(413, 'FST_ERR_CTP_BODY_TOO_LARGE')).envelope.code,
      'PAYLOAD_TOO_LARGE',
    );
    assert.equal(toHttpError(new NotFoundException()).envelope.code, 'NOT_FOUND');
  });

  it('never leaks the message of an unexpected error', () => {
    const mapped = toHttpError(new Error('password=hunter2 at db.ts:12'));
    assert.equal(mapped.status, 500);
    assert.deepEqual(mapped.envelope, { code: 'INTERNAL', message: 'Internal error' });
  });
});
