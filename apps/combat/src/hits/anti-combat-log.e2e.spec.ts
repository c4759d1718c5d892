/**
 * Anti combat-log (issue 12, rule 3) across the two services that share it: hits applied by combat
 * record both players in `combat:recent`, which the accounts service's leave reads. A player who
 * leaves within 30 s of combat lingers in the world, still killable, and a kill during the linger
 * makes the corpse as usual. Through the gateway, as a game server calls it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import type { ApplyHitsView, Hit, LeaveView } from '@trustno1/contracts';
import { createPrismaClient } from '@trustno1/db';
import { syncCatalog } from '@trustno1/inventory-domain';
import {
  call,
  factories,
  registerServer,
  startCluster,
  TEST_ADMIN_KEY,
  type TestCluster,
} from '@trustno1/testing';

type Headers = Record<string, string>;

describe('anti combat-log: combat hits, accounts lingers, combat kills in the linger', () => {
  let cluster: TestCluster;
  let server: { id: string; headers: Headers };

  const joined = (items: [string, number][] = []) =>
    factories(cluster.pool).joinedCharacter(server.id, items);

  const hit = (attackerId: string, victimId: string, damage: number): Hit => ({
    hitId: randomUUID(),
    attackerId,
    victimId,
    damage,
    hitLocation: 'thorax',
  });
  const hits = (list: Hit[]) =>
    call<ApplyHitsView>(cluster.url, 'POST', '/v1/combat/hits', {
      headers: server.headers,
      body: { hits: list },
    });
  const leave = (playerId: string) =>
    call<LeaveView>(cluster.url, 'POST', `/v1/players/${playerId}/leave`, { headers: server.headers });
  const presence = async (playerId: string) =>
    (
      await cluster.pool.query<{ server_id: string | null; is_online: boolean; linger_until: Date | null }>(
        `SELECT server_id, is_online, linger_until FROM players WHERE id = $1`,
        [playerId],
      )
    ).rows[0];

  beforeAll(async () => {
    cluster = await startCluster(['accounts', 'combat', 'gateway']);
    await syncCatalog(createPrismaClient(cluster.pool));
    server = await registerServer(cluster.url, TEST_ADMIN_KEY);
  });
  afterAll(() => cluster?.stop());

  it('a player hit in the last 30 s lingers on leaving, and a killing blow in the linger makes its corpse', async () => {
    const attacker = await joined();
    const victim = await joined([
      ['rifle_ak', 1],
      ['ammo_762', 30],
    ]);
    const before = Date.now();
    const first = await hits([hit(attacker.id, victim.id, 10)]);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.results[0]?.applied, true);

    const left = await leave(victim.id);
    assert.equal(left.status, 200, JSON.stringify(left.body));
    const lingerUntil = Date.parse(String(left.body.lingerUntil));
    assert.ok(
      lingerUntil >= before + 30_000 && lingerUntil <= Date.now() + 30_000,
      `lingerUntil ${left.body.lingerUntil} is 30 s after the hit`,
    );
    assert.deepEqual(await presence(victim.id), {
      server_id: server.id,
      is_online: true,
      linger_until: new Date(lingerUntil),
    });

    // Still in the world: the attacker finishes it during the linger.
    const kill = await hits([hit(attacker.id, victim.id, 1_000)]);
    assert.equal(kill.status, 200, JSON.stringify(kill.body));
    const result = kill.body.results[0];
    assert.equal(result?.killed, true);
    assert.ok(result?.corpseInventoryId, 'the kill made a corpse');
    const { rows } = await cluster.pool.query<{ item_template_id: string; quantity: number }>(
      `SELECT item_template_id, quantity FROM inventory_items WHERE inventory_id = $1 ORDER BY item_template_id`,
      [result.corpseInventoryId],
    );
    assert.deepEqual(rows, [
      { item_template_id: 'ammo_762', quantity: 30 },
      { item_template_id: 'rifle_ak', quantity: 1 },
    ]);
    const { rowCount } = await cluster.pool.query(`SELECT 1 FROM inventory_items WHERE inventory_id = $1`, [
      victim.inventoryId,
    ]);
    assert.equal(rowCount, 0, 'nothing left behind, nothing duplicated');
  });

  it('the attacker lingers too; a player out of combat leaves at once', async () => {
    const attacker = await joined();
    const victim = await joined();
    const bystander = await joined();
    assert.equal((await hits([hit(attacker.id, victim.id, 5)])).status, 200);

    const attackerLeft = await leave(attacker.id);
    assert.equal(attackerLeft.status, 200);
    assert.ok(attackerLeft.body.lingerUntil, 'the attacker was in combat too');

    const bystanderLeft = await leave(bystander.id);
    assert.equal(bystanderLeft.status, 200);
    assert.deepEqual(bystanderLeft.body, {});
    assert.deepEqual(await presence(bystander.id), { server_id: null, is_online: false, linger_until: null });
  });
});
