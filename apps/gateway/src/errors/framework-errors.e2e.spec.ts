import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startCluster, type TestCluster } from '@trustno1/testing';

interface ErrorBody {
  error: { code: string; message: string; requestId: string };
}

/** What Fastify answers before any route runs still comes in the envelope, with a request id. */
describe('gateway: framework errors in the envelope', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await startCluster(['gateway']);
  });

  afterAll(() => cluster?.stop());

  async function send(method: string, path: string) {
    const response = await fetch(`${cluster.url}${path}`, { method });
    const body = (await response.json()) as ErrorBody;
    assert.equal(body.error.requestId, response.headers.get('x-request-id'));
    return { status: response.status, allow: response.headers.get('allow'), body };
  }

  it('answers a wrong method on an existing route with 405 and Allow', async () => {
    const move = await send('GET', `/v1/items/${randomUUID()}/move`);
    assert.equal(move.status, 405);
    assert.equal(move.body.error.code, 'METHOD_NOT_ALLOWED');
    assert.equal(move.allow, 'POST');

    const catalog = await send('DELETE', '/v1/catalog/items');
    assert.equal(catalog.status, 405);
    assert.equal(catalog.allow, 'GET, HEAD');

    const inventories = await send('PATCH', '/v1/inventories');
    assert.equal(inventories.status, 405);
    assert.equal(inventories.allow, 'POST');
  });

  it('answers a path no route serves with 404 NOT_FOUND, without Allow', async () => {
    const missing = await send('GET', '/v1/no-such-thing');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'NOT_FOUND');
    assert.equal(missing.allow, null);
  });

  it('answers an overlong URL with 414 URI_TOO_LONG', async () => {
    const long = await send('GET', `/v1/catalog/items?pad=${'x'.repeat(5000)}`);
    assert.equal(long.status, 414);
    assert.equal(long.body.error.code, 'URI_TOO_LONG');
  });

  it('routes a path parameter of up to 512 characters (then validation names it), longer is 414', async () => {
    // Matched: the route's guard answers (no credentials), and with them validation would run.
    const matched = await send('GET', `/v1/items/${'x'.repeat(300)}/history`);
    assert.equal(matched.status, 401);
    assert.equal(matched.body.error.code, 'UNAUTHENTICATED');
    const tooLong = await send('GET', `/v1/items/${'x'.repeat(600)}/history`);
    assert.equal(tooLong.status, 414);
    assert.equal(tooLong.body.error.code, 'URI_TOO_LONG');
    const badUrl = await send('GET', '/v1/items/%E0%A4%A/history');
    assert.equal(badUrl.status, 400);
    assert.equal(badUrl.body.error.code, 'VALIDATION_FAILED');
  });
});
