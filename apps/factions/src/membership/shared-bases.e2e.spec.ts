/**
 * Shared bases (issue 14, rule 5) end to end: a tool cupboard placed with a faction_id lets every
 * member holding `build` build within its range; world's build rule asks factions.member_has in
 * its own statement, so a kicked member is refused right after the kick, and a member whose
 * `build` was taken away too.
 */
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import {
  codeOf,
  detailsOf,
  registerServer,
  startCluster,
  TEST_ADMIN_KEY,
  type TestCluster,
} from '@trustno1/testing';
import { factionsApi, type Server } from '../testing/factions-e2e';

const ROTATION = { x: 0, y: 0, z: 0, w: 1 };

describe('shared bases: the build rule asks the faction membership', () => {
  let cluster: TestCluster;
  let server: Server;
  let api: ReturnType<typeof factionsApi>;

  beforeAll(async () => {
    cluster = await startCluster(['accounts', 'world', 'factions', 'gateway']);
    server = await registerServer(cluster.url, TEST_ADMIN_KEY);
    api = factionsApi(cluster, server);
  });
  afterAll(() => cluster?.stop());

  const place = (ownerId: string, structureType: string, x: number, z: number, factionId?: string) =>
    api.send<{ id: string }>('POST', '/v1/structures', {
      ownerId,
      structureType,
      position: { x, y: 10, z },
      rotation: ROTATION,
      buildData: {},
      ...(factionId ? { factionId } : {}),
    });

  it('authorizes a member with build before a kick, and refuses it right after', async () => {
    const { faction, leader, member, recruit } = await api.ranked();
    const stranger = await api.character();
    const z = 5000;
    const cupboard = await place(leader.id, 'tool_cupboard', 100, z, faction.id);
    assert.equal(cupboard.status, 201, JSON.stringify(cupboard.body));

    // A member (build by default) builds at the faction's cupboard; a stranger and a recruit
    // (no build) are blocked by it.
    assert.equal((await place(member.id, 'wall_wood', 110, z)).status, 201);
    for (const who of [stranger.id, recruit.id]) {
      const blocked = await place(who, 'wall_wood', 112, z);
      assert.deepEqual(
        [blocked.status, codeOf(blocked), detailsOf(blocked).reason],
        [422, 'BUILD_BLOCKED', 'TOOL_CUPBOARD'],
      );
      assert.equal(detailsOf(blocked).cupboardId, cupboard.body.id);
    }

    const kicked = await api.send('POST', `/v1/factions/${faction.id}/kick`, {
      byPlayerId: leader.id,
      playerId: member.id,
    });
    assert.equal(kicked.status, 204);
    const after = await place(member.id, 'wall_wood', 114, z);
    assert.deepEqual(
      [after.status, codeOf(after), detailsOf(after).reason],
      [422, 'BUILD_BLOCKED', 'TOOL_CUPBOARD'],
    );
  });

  it('follows the permission: build taken away blocks, build granted lets through', async () => {
    const { faction, leader, member, recruit } = await api.ranked();
    const z = 5400;
    assert.equal((await place(leader.id, 'tool_cupboard', 100, z, faction.id)).status, 201);
    const patch = (playerId: string, permissions: string[]) =>
      api.send('PATCH', `/v1/factions/${faction.id}/members/${playerId}`, {
        byPlayerId: leader.id,
        permissions,
      });
    assert.equal((await patch(member.id, ['open_storage'])).status, 200);
    assert.equal(codeOf(await place(member.id, 'wall_wood', 110, z)), 'BUILD_BLOCKED');
    assert.equal((await patch(recruit.id, ['build'])).status, 200);
    assert.equal((await place(recruit.id, 'wall_wood', 110, z)).status, 201);
  });

  it('a cupboard without a faction stays its owner’s alone', async () => {
    const { leader, member } = await api.ranked();
    const z = 5800;
    assert.equal((await place(leader.id, 'tool_cupboard', 100, z)).status, 201);
    assert.equal(codeOf(await place(member.id, 'wall_wood', 110, z)), 'BUILD_BLOCKED');
  });
});
