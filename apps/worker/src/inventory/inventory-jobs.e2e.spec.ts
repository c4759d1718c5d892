/**
 * The inventory's jobs against the inventory service as a real process: loot_generation fills a
 * container once per cycle however often (and by however many workers) the job runs, and
 * corpses.cleanup removes exactly the corpses due at its tick (a fake clock drives the ticks).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { Job } from 'bullmq';
import { BusClient } from '@trustno1/bus';
import type { LootFillView } from '@trustno1/contracts';
import { stateAndReplay } from '@trustno1/inventory-domain';
import { ProcessorRegistry, type LootGenerationJob } from '@trustno1/queues';
import { factories, FakeClock, startCluster, type TestCluster } from '@trustno1/testing';
import { CorpsesCleanupProcessor } from './corpses-cleanup.processor';
import { LootGenerationProcessor } from './loot-generation.processor';

/** One worker: its own NATS connection and registry, as in a separate worker process. */
function worker(cluster: TestCluster, name: string) {
  const bus = new BusClient({ ...cluster.bus, serviceName: name });
  const registry = new ProcessorRegistry();
  const loot = new LootGenerationProcessor(registry, bus);
  const corpses = new CorpsesCleanupProcessor(registry, bus);
  loot.onModuleInit();
  corpses.onModuleInit();
  const handler = registry.handlerFor('loot_generation');
  return {
    bus,
    corpses,
    runLoot: (data: LootGenerationJob) =>
      handler({
        name: 'loot',
        id: `loot.${data.containerId}.${data.cycle}`,
        data,
      } as Job) as Promise<LootFillView>,
  };
}

describe('inventory jobs against the inventory service', () => {
  let cluster: TestCluster;
  let one: ReturnType<typeof worker>;
  let two: ReturnType<typeof worker>;
  const itemsIn = async (inventoryId: string) =>
    (
      await cluster.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM inventory_items WHERE inventory_id = $1`,
        [inventoryId],
      )
    ).rows[0].n;
  const createsIn = async (inventoryId: string) =>
    (
      await cluster.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM item_ledger WHERE to_inventory_id = $1 AND operation = 'create'`,
        [inventoryId],
      )
    ).rows[0].n;

  beforeAll(async () => {
    cluster = await startCluster(['inventory']);
    one = worker(cluster, 'worker-one');
    two = worker(cluster, 'worker-two');
  });

  afterAll(async () => {
    await one?.bus.close();
    await two?.bus.close();
    await cluster?.stop();
  });

  it('loot_generation run twice for one container and cycle fills it once', async () => {
    const box = (await factories(cluster.pool).inventory({ gridWidth: 10, gridHeight: 6 })).id;
    const job = { containerId: box, cycle: '2026-01-01T00', containerType: 'military_crate' };
    const first = await one.runLoot(job);
    assert.equal(first.filled, true);
    assert.equal(first.tableId, 'crate_military');
    assert.ok(first.items.length >= 2, JSON.stringify(first));
    const second = await one.runLoot(job);
    assert.equal(second.filled, false);
    assert.deepEqual(second.items, first.items);
    assert.equal(await itemsIn(box), first.items.length);
    assert.equal(await createsIn(box), first.items.length);
    const next = await one.runLoot({ ...job, cycle: '2026-01-01T06' });
    assert.equal(next.filled, true, 'the next cycle fills again');
    assert.equal(await createsIn(box), first.items.length + next.items.length);
  });

  it('two workers racing on the same jobs add the items once per container', async () => {
    const f = factories(cluster.pool);
    const boxes = await Promise.all(
      Array.from({ length: 5 }, () => f.inventory({ gridWidth: 10, gridHeight: 6 })),
    );
    const jobs = boxes.map((b) => ({
      containerId: b.id,
      cycle: 'race',
      containerType: 'crate',
      biome: 'desert',
    }));
    const results = await Promise.all(
      jobs.flatMap((job) => [one.runLoot(job), two.runLoot(job), one.runLoot(job), two.runLoot(job)]),
    );
    for (const [i, box] of boxes.entries()) {
      const mine = results.slice(i * 4, i * 4 + 4);
      assert.equal(mine.filter((r) => r.filled).length, 1, `one fill of ${box.id}`);
      const filled = mine.find((r) => r.filled)!;
      for (const r of mine) assert.deepEqual(r.items, filled.items);
      assert.equal(await createsIn(box.id), filled.items.length);
      assert.equal(await itemsIn(box.id), filled.items.length);
    }
    const { rows } = await cluster.pool.query(
      `SELECT count(*)::int AS n FROM loot_fills WHERE cycle = 'race'`,
    );
    assert.equal(rows[0].n, boxes.length);
  });

  it('a container type without a loot table is left alone; a player inventory is refused', async () => {
    const f = factories(cluster.pool);
    const box = (await f.inventory()).id;
    const none = await one.runLoot({ containerId: box, cycle: 'c1', containerType: 'fridge' });
    assert.deepEqual(none, { filled: false, tableId: null, items: [], skipped: 0 });
    const player = await f.character();
    await assert.rejects(
      one.runLoot({ containerId: player.inventoryId, cycle: 'c1', containerType: 'crate' }),
      {
        code: 'FORBIDDEN',
      },
    );
    await assert.rejects(one.runLoot({ containerId: randomUUID(), cycle: 'c1', containerType: 'crate' }), {
      code: 'NOT_FOUND',
    });
    assert.equal(await itemsIn(box), 0);
  });

  it('corpses.cleanup removes the corpses due at its tick, their items through the ledger', async () => {
    const f = factories(cluster.pool);
    const player = await f.character();
    await cluster.pool.query(`SELECT add_item($1, 'wood', 30, NULL, NULL, NULL, NULL, NULL, 'test')`, [
      player.inventoryId,
    ]);
    await cluster.pool.query(`SELECT add_item($1, 'rifle_ak', 1, NULL, NULL, NULL, NULL, NULL, 'test')`, [
      player.inventoryId,
    ]);
    // Ticks come from a fake clock an hour ahead; the corpse expires 30 minutes after that.
    const clock = new FakeClock(Date.now() + 3_600_000);
    const expiresAt = new Date(clock.ms + 30 * 60_000);
    const { rows } = await cluster.pool.query<{ id: string }>(
      `SELECT create_corpse($1, '{"x":10,"y":0,"z":10}', 'test', $2) AS id`,
      [player.id, expiresAt],
    );
    const corpse = rows[0].id;
    assert.deepEqual(await one.corpses.run(clock.now()), { corpses: 0, items: 0 });
    clock.advance(30 * 60 - 1);
    assert.deepEqual(await one.corpses.run(clock.now()), { corpses: 0, items: 0 });
    clock.advance(1);
    const [a, b] = await Promise.all([one.corpses.run(clock.now()), two.corpses.run(clock.now())]);
    assert.deepEqual({ corpses: a.corpses + b.corpses, items: a.items + b.items }, { corpses: 1, items: 2 });
    assert.equal((await cluster.pool.query(`SELECT 1 FROM inventories WHERE id = $1`, [corpse])).rowCount, 0);
    const destroyed = await cluster.pool.query(
      `SELECT template_id, quantity FROM item_ledger
        WHERE from_inventory_id = $1 AND operation = 'destroy' AND reason = 'corpse_expired' ORDER BY template_id`,
      [corpse],
    );
    assert.deepEqual(
      destroyed.rows.map((r) => [r.template_id, r.quantity]),
      [
        ['rifle_ak', 1],
        ['wood', 30],
      ],
    );
    const { state, replay } = await stateAndReplay(cluster.pool);
    assert.deepEqual(replay, state);
  });
});
