/**
 * Projectiles in flight (issue 12) through the gateway, as game servers call them: the seed's
 * `projectiles:active` HASH, each entry the server's own, gone at the end of its flight; launching
 * the same id again answers the stored entry; the bad-input matrix leaves Redis as it was.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import type { ProjectilesView, ProjectileView } from '@trustno1/contracts';
import { RedisKeys } from '@trustno1/redis';
import {
  call,
  codeOf,
  factories,
  fieldsOf,
  registerServer,
  startCluster,
  TEST_ADMIN_KEY,
  type TestCluster,
} from '@trustno1/testing';

type Headers = Record<string, string>;

describe('projectiles in flight through the gateway', () => {
  let cluster: TestCluster;
  let server: { id: string; headers: Headers };
  let other: { id: string; headers: Headers };
  let owner: string;
  let otherOwner: string;

  const body = (over: Record<string, unknown> = {}) => ({
    id: randomUUID(),
    ownerId: owner,
    kind: 'rocket',
    position: { x: 10, y: 2, z: -4 },
    velocity: { x: 0, y: 5, z: 40 },
    ...over,
  });
  const launch = (payload: unknown, headers: Headers = server.headers) =>
    call<ProjectileView>(cluster.url, 'POST', '/v1/combat/projectiles', { headers, body: payload });
  const list = (headers: Headers = server.headers) =>
    call<ProjectilesView>(cluster.url, 'GET', '/v1/combat/projectiles', { headers });
  const remove = (id: string, headers: Headers = server.headers) =>
    call(cluster.url, 'DELETE', `/v1/combat/projectiles/${id}`, { headers });
  const hash = () => cluster.redis.hgetall(RedisKeys.projectilesActive());

  beforeAll(async () => {
    cluster = await startCluster(['accounts', 'combat', 'gateway']);
    [server, other] = await Promise.all([
      registerServer(cluster.url, TEST_ADMIN_KEY),
      registerServer(cluster.url, TEST_ADMIN_KEY),
    ]);
    const f = factories(cluster.pool);
    [owner, otherOwner] = [(await f.joinedCharacter(server.id)).id, (await f.joinedCharacter(other.id)).id];
  });
  afterAll(() => cluster?.stop());

  it('records a launch, lists it for its server only, answers the same id again, and removes it', async () => {
    const payload = body({ fuseMs: 5_000 });
    const launched = await launch(payload);
    assert.equal(launched.status, 201, JSON.stringify(launched.body));
    assert.equal(launched.body.id, payload.id);
    assert.equal(launched.body.serverId, server.id);
    assert.equal(launched.body.fuseMs, 5_000);
    assert.equal(Date.parse(launched.body.expiresAt) - Date.parse(launched.body.launchedAt), 5_000);

    const again = await launch(payload);
    assert.equal(again.status, 201);
    assert.deepEqual(again.body, launched.body, 'the stored entry, unchanged');
    assert.equal(Object.keys(await hash()).filter((id) => id === payload.id).length, 1);

    assert.deepEqual(
      (await list()).body.projectiles.map((p) => p.id),
      [payload.id],
    );
    assert.deepEqual((await list(other.headers)).body.projectiles, []);

    const taken = await launch(body({ id: payload.id, ownerId: otherOwner }), other.headers);
    assert.equal(taken.status, 409);
    assert.equal(codeOf(taken), 'CONFLICT');

    assert.equal((await remove(payload.id, other.headers)).status, 403);
    assert.equal((await remove(payload.id)).status, 204);
    assert.equal((await remove(payload.id)).status, 404);
    assert.deepEqual((await list()).body.projectiles, []);
  });

  it('forgets a projectile at the end of its flight: gone from the listing and from the hash', async () => {
    const short = body({ fuseMs: 150 });
    assert.equal((await launch(short)).status, 201);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual((await list()).body.projectiles, []);
    assert.equal((await hash())[short.id], undefined, 'the listing swept it');
    assert.equal((await remove(short.id)).status, 404);
  });

  it('refuses an owner who is not joined to the calling server, and one that does not exist', async () => {
    const before = await hash();
    const foreign = await launch(body({ ownerId: otherOwner }));
    assert.equal(foreign.status, 403);
    const unknown = await launch(body({ ownerId: randomUUID() }));
    assert.equal(unknown.status, 404);
    assert.deepEqual(await hash(), before);
  });

  const BAD: [string, Record<string, unknown>, string][] = [
    ['id not a UUID', { id: 'rocket-1' }, 'id'],
    ['no owner', { ownerId: undefined }, 'ownerId'],
    ['kind with capitals', { kind: 'Rocket' }, 'kind'],
    ['kind too long', { kind: 'r'.repeat(33) }, 'kind'],
    ['position out of the world', { position: { x: 1e9, y: 0, z: 0 } }, 'position.x'],
    ['velocity beyond any projectile', { velocity: { x: 0, y: 0, z: 20_000 } }, 'velocity.z'],
    ['velocity as text', { velocity: { x: 0, y: 0, z: 'fast' } }, 'velocity.z'],
    ['velocity missing an axis', { velocity: { x: 0, y: 0 } }, 'velocity.z'],
    ['fuse of zero', { fuseMs: 0 }, 'fuseMs'],
    ['fuse past the longest flight', { fuseMs: 120_001 }, 'fuseMs'],
    ['fractional fuse', { fuseMs: 1.5 }, 'fuseMs'],
    ['fuse of 2^53', { fuseMs: 2 ** 53 }, 'fuseMs'],
    ['an unknown field', { damage: 100 }, 'damage'],
  ];
  for (const [what, over, field] of BAD) {
    it(`400 naming ${field} for ${what}, Redis unchanged`, async () => {
      const before = await hash();
      const response = await launch(body(over));
      assert.equal(response.status, 400, JSON.stringify(response.body));
      assert.ok(
        fieldsOf(response).some((f) => f === field),
        `${JSON.stringify(fieldsOf(response))} names ${field}`,
      );
      assert.deepEqual(await hash(), before);
    });
  }

  it('400 for a DELETE of an id that is not a UUID', async () => {
    assert.equal((await remove('not-a-uuid')).status, 400);
  });
});
