import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import {
  call,
  codeOf,
  fieldsOf,
  registerServer,
  signUp,
  startCluster,
  TEST_ADMIN_KEY,
  type TestCluster,
} from '@trustno1/testing';

interface StatusBody {
  service: string;
  schema: string;
  functions: number;
}

describe('GET /v1/seasons/status through the gateway', () => {
  let cluster: TestCluster;
  let server: Record<string, string>;
  let player: Record<string, string>;

  beforeAll(async () => {
    // accounts authenticates server keys and sessions; the gateway routes to seasons over NATS.
    cluster = await startCluster(['accounts', 'seasons', 'gateway']);
    server = (await registerServer(cluster.url, TEST_ADMIN_KEY)).headers;
    player = (await signUp(cluster.url)).headers;
  });
  afterAll(() => cluster?.stop());

  const get = (path: string, headers: Record<string, string>) =>
    call<StatusBody>(cluster.url, 'GET', path, { headers });

  it("answers a game server and an admin with the service's status", async () => {
    for (const headers of [server, { 'x-admin-key': TEST_ADMIN_KEY }]) {
      const reply = await get('/v1/seasons/status', headers);
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      assert.equal(reply.body.service, 'seasons');
      assert.equal(reply.body.schema, 'seasons');
      assert.ok(reply.body.functions >= 1);
    }
  });

  it('refuses nobody with 401 and a player with 403', async () => {
    const anonymous = await get('/v1/seasons/status', {});
    assert.deepEqual([anonymous.status, codeOf(anonymous)], [401, 'UNAUTHENTICATED']);
    const refused = await get('/v1/seasons/status', player);
    assert.deepEqual([refused.status, codeOf(refused)], [403, 'FORBIDDEN']);
  });

  it('refuses an unknown query field with 400 naming it; the service answers the next call', async () => {
    const bad = await get('/v1/seasons/status?verbose=1', server);
    assert.deepEqual([bad.status, codeOf(bad), fieldsOf(bad)], [400, 'VALIDATION_FAILED', ['verbose']]);
    assert.equal((await get('/v1/seasons/status', server)).status, 200);
  });
});
