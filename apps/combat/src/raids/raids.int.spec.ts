// Raids against the real database, with a fake clock: world's damage_structure (offline-raid
// protection and the structure-damaged event it writes), combat's record_raid_damage fed with
// those events as the consumer feeds them, and close_idle_raids at the clock's ticks. Every
// instant is a parameter, so minutes pass without sleeping.
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { DamageView, RaidView, StructureDamagedEvent } from '@trustno1/contracts';
import { FakeClock, factories, openTestStores, type TestStores } from '@trustno1/testing';
import { WORLD_CATALOGS } from '@trustno1/world-domain';

const TYPES = new Map(WORLD_CATALOGS.structures.map((s) => [s.id, s]));
const MINUTE = 60;
const GRACE_MINUTES = 15;
const SCALE = 0.25;
const IDLE_MINUTES = 10;

// Each test builds in its own chunk row, far from the others.
let nextZ = 0;
const freshZ = () => (nextZ += 1024);

describe('raids with a fake clock', () => {
  let stores: TestStores;
  let pool: Pool;

  beforeAll(async () => {
    stores = await openTestStores();
    pool = stores.pool;
  });
  afterAll(() => stores?.close());

  /** A faction with a character in it (or none), and the character's inventory. */
  const faction = async (): Promise<string> => {
    const id = randomUUID();
    await pool.query(`INSERT INTO factions.factions (id, name, tag) VALUES ($1, $2, $3)`, [
      id,
      `f_${id.slice(0, 8)}`,
      id.slice(0, 6),
    ]);
    return id;
  };
  const character = async (factionId: string | null, seen: { online: boolean; lastSeen: Date }) => {
    const c = await factories(pool).character();
    await pool.query(
      'UPDATE accounts.players SET faction_id = $2, is_online = $3, last_seen = $4 WHERE id = $1',
      [c.id, factionId, seen.online, seen.lastSeen],
    );
    return c;
  };
  const place = async (
    ownerId: string,
    factionId: string | null,
    type: string,
    x: number,
    z: number,
    at: Date,
  ) => {
    const t = TYPES.get(type)!;
    const id = randomUUID();
    await pool.query(
      `SELECT place_structure($1, $2, $3, $4, $5::jsonb, '{"x":0,"y":0,"z":0,"w":1}', '{}', '{}', $6, $7, $8,
                              $9, $10, $11, 30, 10000, $12, NULL)`,
      [
        id,
        ownerId,
        factionId,
        type,
        JSON.stringify({ x, y: 0, z }),
        t.maxHealth,
        t.decayPerHour,
        t.upkeep.length > 0,
        t.toolCupboard,
        t.storage?.gridWidth ?? null,
        t.storage?.gridHeight ?? null,
        at,
      ],
    );
    return id;
  };
  const storageOf = async (structureId: string): Promise<string> =>
    (
      await pool.query<{ inventory_id: string }>(
        'SELECT inventory_id FROM world.structure_storage WHERE structure_id = $1',
        [structureId],
      )
    ).rows[0].inventory_id;

  /** world's damage_structure as the world service calls it, with the default protection settings. */
  const damage = async (
    structureId: string,
    amount: number,
    attackerId: string | null,
    at: Date,
    opts: { explosive?: boolean; type?: string; scale?: number } = {},
  ): Promise<DamageView> =>
    (
      await pool.query<{ r: DamageView }>(
        'SELECT damage_structure($1, $2, $3, $4, $5, $6, $7, $8, $9) AS r',
        [
          structureId,
          amount,
          attackerId,
          opts.explosive ?? true,
          opts.type ?? 'c4',
          GRACE_MINUTES,
          opts.scale ?? SCALE,
          at,
          `test:${randomUUID()}`,
        ],
      )
    ).rows[0].r;

  /** The structure-damaged events of a structure not yet fed to combat, oldest first. */
  const fed = new Set<string>();
  const damagedEvents = async (structureIds: string[]): Promise<StructureDamagedEvent[]> => {
    const { rows } = await pool.query<{ id: string; payload: StructureDamagedEvent }>(
      `SELECT id, payload FROM platform.outbox
        WHERE subject = 'evt.world.structure.damaged.v1' AND payload ->> 'structureId' = ANY ($1)
        ORDER BY created_at, id`,
      [structureIds],
    );
    return rows.filter((r) => !fed.has(r.id)).map((r) => (fed.add(r.id), r.payload));
  };
  /** What the consumer does with an event: one record_raid_damage call. */
  const record = async (event: StructureDamagedEvent) =>
    (
      await pool.query<{ r: { raidId: string | null; opened: boolean; ignored: boolean } }>(
        'SELECT combat.record_raid_damage($1::jsonb) AS r',
        [JSON.stringify(event)],
      )
    ).rows[0].r;
  /** Every event of these structures not fed yet, in order. */
  const feed = async (structureIds: string[]) => {
    const results = [];
    for (const event of await damagedEvents(structureIds)) results.push(await record(event));
    return results;
  };
  const close = async (at: Date) =>
    (
      await pool.query<{ r: { closed: number; raids: string[] } }>(
        'SELECT combat.close_idle_raids($1, $2, 500) AS r',
        [at, IDLE_MINUTES],
      )
    ).rows[0].r;
  const raid = async (id: string): Promise<RaidView> =>
    (await pool.query<{ r: RaidView }>('SELECT combat.raid_json($1) AS r', [id])).rows[0].r;
  const outboxCount = async (subject: string, raidId: string) =>
    (
      await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM platform.outbox WHERE subject = $1 AND payload ->> 'raidId' = $2`,
        [subject, raidId],
      )
    ).rows[0].n;

  /** A base: a defenders' faction, its offline owner, a cupboard, a wall and a box with 10 stones. */
  const base = async (clock: FakeClock, ownerSeen?: { online: boolean; lastSeen: Date }) => {
    const defenders = await faction();
    const owner = await character(
      defenders,
      ownerSeen ?? { online: false, lastSeen: new Date(clock.ms - 3_600_000) },
    );
    const z = freshZ();
    const cupboard = await place(owner.id, defenders, 'tool_cupboard', 0, z, clock.now());
    const wall = await place(owner.id, defenders, 'wall_stone', 5, z, clock.now());
    const box = await place(owner.id, defenders, 'storage_box_small', 3, z, clock.now());
    const boxInventory = await storageOf(box);
    const template = await factories(pool).itemTemplate({ maxStack: 100 });
    const { rows } = await pool.query<{ id: string }>(
      `SELECT (add_item($1, $2, 10, 0, 0, NULL, NULL, NULL, 'test')).id AS id`,
      [boxInventory, template.id],
    );
    return { defenders, owner, cupboard, wall, box, boxInventory, template: template.id, stones: rows[0].id };
  };
  const raider = async (clock: FakeClock) => {
    const raiders = await faction();
    return { raiders, player: await character(raiders, { online: true, lastSeen: clock.now() }) };
  };

  describe('offline-raid protection', () => {
    it('scales explosive damage to a base whose defenders were all offline for the grace period, and says so', async () => {
      const clock = new FakeClock(Date.now());
      const b = await base(clock);
      const { player } = await raider(clock);
      const hit = await damage(b.wall, 100, player.id, clock.now());
      assert.deepEqual(
        [hit.damageApplied, hit.offlineProtected, hit.health],
        [100 * SCALE, true, TYPES.get('wall_stone')!.maxHealth - 100 * SCALE],
      );
      const [event] = await damagedEvents([b.wall]);
      assert.equal(event.offlineProtected, true);
      assert.equal(event.damageRequested, 100);
      assert.equal(event.damageApplied, 25);
      assert.equal(event.cupboardId, b.cupboard);
      assert.deepEqual(event.defenders, [b.owner.id]);
      assert.deepEqual(
        event.storageInventoryIds.sort(),
        [await storageOf(b.cupboard), b.boxInventory].sort(),
      );
      assert.equal(event.explosiveType, 'c4');
      // Fed to combat, the raid log says it too.
      const recorded = await record(event);
      assert.equal((await raid(recorded.raidId!)).offlineProtected, true);
    });

    it('does not protect a base with an owner online, or a faction member seen within the grace period', async () => {
      const clock = new FakeClock(Date.now());
      const online = await base(clock, { online: true, lastSeen: clock.now() });
      const { player } = await raider(clock);
      const hit = await damage(online.wall, 100, player.id, clock.now());
      assert.deepEqual([hit.damageApplied, hit.offlineProtected], [100, false]);

      const b = await base(clock);
      // A member of the defending faction logged off 14 minutes ago: still within the grace period.
      await character(b.defenders, { online: false, lastSeen: new Date(clock.ms - 14 * MINUTE * 1000) });
      assert.equal((await damage(b.wall, 100, player.id, clock.now())).offlineProtected, false);
      // 2 minutes later the last one has been gone for 16 minutes: protected.
      clock.advance(2 * MINUTE);
      const later = await damage(b.wall, 100, player.id, clock.now());
      assert.deepEqual([later.damageApplied, later.offlineProtected], [25, true]);
    });

    it('is off with a scale of 1, and never touches damage that is not explosive', async () => {
      const clock = new FakeClock(Date.now());
      const b = await base(clock);
      const { player } = await raider(clock);
      const off = await damage(b.wall, 100, player.id, clock.now(), { scale: 1 });
      assert.deepEqual([off.damageApplied, off.offlineProtected], [100, false]);
      const melee = await damage(b.wall, 50, player.id, clock.now(), { explosive: false, type: undefined });
      assert.deepEqual([melee.damageApplied, melee.offlineProtected], [50, false]);
      const events = await damagedEvents([b.wall]);
      assert.equal(events.length, 1, 'only explosive damage is a structure-damaged event');
    });
  });

  describe('opening, extending and closing', () => {
    it('opens a raid on explosive damage by a stranger, extends it, and closes it idle, unsuccessful', async () => {
      const clock = new FakeClock(Date.now());
      const b = await base(clock, { online: true, lastSeen: clock.now() });
      const r1 = await raider(clock);
      const ally = await character(r1.raiders, { online: true, lastSeen: clock.now() });
      await damage(b.wall, 100, r1.player.id, clock.now(), { type: 'c4' });
      clock.advance(3 * MINUTE);
      await damage(b.wall, 50, ally.id, clock.now(), { type: 'rocket' });
      clock.advance(3 * MINUTE);
      await damage(b.box, 10, ally.id, clock.now(), { type: 'rocket' });
      const results = await feed([b.wall, b.box]);
      assert.deepEqual(
        results.map((r) => [r.opened, r.ignored]),
        [
          [true, false],
          [false, false],
          [false, false],
        ],
      );
      const raidId = results[0].raidId!;
      assert.ok(
        results.every((r) => r.raidId === raidId),
        'one raid for the base',
      );
      let log = await raid(raidId);
      assert.equal(log.damageDealt, 160);
      assert.deepEqual(log.explosivesUsed, { c4: 1, rocket: 2 });
      assert.deepEqual(log.participants.raiders, [r1.player.id, ally.id].sort());
      assert.deepEqual(log.participants.defenders, [b.owner.id]);
      assert.deepEqual([log.raiderFactionId, log.defenderFactionId], [r1.raiders, b.defenders]);
      assert.deepEqual([log.cupboardId, log.baseId, log.structureId], [b.cupboard, b.cupboard, b.wall]);
      assert.equal(log.active, true);
      assert.equal(await outboxCount('evt.combat.raid.started.v1', raidId), 1);

      // 9 minutes after the last damage: still open; 10: closed, without loot, unsuccessful.
      clock.advance(9 * MINUTE);
      assert.equal((await close(clock.now())).raids.includes(raidId), false);
      clock.advance(MINUTE);
      const closed = await close(clock.now());
      assert.ok(closed.raids.includes(raidId));
      log = await raid(raidId);
      assert.deepEqual(
        [log.active, log.successful, log.lootTaken, log.endedAt && new Date(log.endedAt).getTime()],
        [false, false, [], clock.ms],
      );
      assert.equal(await outboxCount('evt.combat.raid.ended.v1', raidId), 1);
      assert.equal((await close(clock.now())).raids.includes(raidId), false, 'closed once');

      // New damage after the close opens a new raid.
      await damage(b.wall, 10, r1.player.id, clock.now());
      const [again] = await feed([b.wall]);
      assert.equal(again.opened, true);
      assert.notEqual(again.raidId, raidId);
    });

    it('opens one raid when 20 events of one base are recorded at once (replicas racing), counting each', async () => {
      const clock = new FakeClock(Date.now());
      const b = await base(clock, { online: true, lastSeen: clock.now() });
      const r = await raider(clock);
      for (let i = 0; i < 20; i++) await damage(b.wall, 10, r.player.id, clock.now());
      const events = await damagedEvents([b.wall]);
      assert.equal(events.length, 20);
      const results = await Promise.all(events.map((event) => record(event)));
      assert.equal(results.filter((x) => x.opened).length, 1);
      assert.equal(new Set(results.map((x) => x.raidId)).size, 1);
      const log = await raid(results[0].raidId!);
      assert.deepEqual([log.damageDealt, log.explosivesUsed], [200, { c4: 20 }]);
      assert.equal(await outboxCount('evt.combat.raid.started.v1', log.id), 1);
    });

    it('ignores damage by the owner, a defender of its faction, without an attacker or not explosive', async () => {
      const clock = new FakeClock(Date.now());
      const b = await base(clock, { online: true, lastSeen: clock.now() });
      const member = await character(b.defenders, { online: true, lastSeen: clock.now() });
      await damage(b.wall, 10, b.owner.id, clock.now());
      await damage(b.wall, 10, member.id, clock.now());
      await damage(b.wall, 10, null, clock.now());
      const results = await feed([b.wall]);
      assert.deepEqual(
        results.map((r) => r.ignored),
        [true, true, true],
      );
      const { rows } = await pool.query('SELECT 1 FROM combat.raid_logs WHERE base_id = $1', [b.cupboard]);
      assert.equal(rows.length, 0);
    });

    it('is successful when raiders took loot from the base storage while it was open, counted from the ledger', async () => {
      const clock = new FakeClock(Date.now());
      const b = await base(clock, { online: true, lastSeen: clock.now() });
      const r = await raider(clock);
      const bystander = await character(null, { online: true, lastSeen: clock.now() });
      await damage(b.wall, 100, r.player.id, clock.now());
      const [opened] = await feed([b.wall]);
      // The raider takes 4 of the 10 (a split), then the other 6 (a move); a bystander's take is not loot.
      await pool.query(`SELECT transfer_item($1, $2, 0, 0, 4, NULL, $3, 'move')`, [
        b.stones,
        r.player.inventoryId,
        b.boxInventory,
      ]);
      const other = await factories(pool).itemTemplate({ maxStack: 5 });
      const { rows } = await pool.query<{ id: string }>(
        `SELECT (add_item($1, $2, 5, 3, 0, NULL, NULL, NULL, 'test')).id AS id`,
        [b.boxInventory, other.id],
      );
      await pool.query(`SELECT transfer_item($1, $2, 0, 0, NULL, NULL, $3, 'move')`, [
        rows[0].id,
        bystander.inventoryId,
        b.boxInventory,
      ]);
      await pool.query(`SELECT transfer_item($1, $2, 0, 2, NULL, NULL, $3, 'move')`, [
        b.stones,
        r.player.inventoryId,
        b.boxInventory,
      ]);
      clock.advance(IDLE_MINUTES * MINUTE + 60);
      await close(clock.now());
      const log = await raid(opened.raidId!);
      assert.deepEqual(
        [log.successful, log.lootTaken],
        [true, [{ itemTemplateId: b.template, quantity: 10 }]],
      );
      const { rows: ended } = await pool.query<{ payload: { lootTaken: unknown; successful: boolean } }>(
        `SELECT payload FROM platform.outbox WHERE subject = 'evt.combat.raid.ended.v1' AND payload ->> 'raidId' = $1`,
        [opened.raidId],
      );
      assert.deepEqual(ended[0].payload.lootTaken, [{ itemTemplateId: b.template, quantity: 10 }]);
    });

    it('is successful when the cupboard is destroyed; destroyed structures keep their raid logs and snapshot', async () => {
      const clock = new FakeClock(Date.now());
      const b = await base(clock, { online: true, lastSeen: clock.now() });
      const r = await raider(clock);
      const wallHealth = TYPES.get('wall_stone')!.maxHealth;
      const wallHit = await damage(b.wall, wallHealth, r.player.id, clock.now());
      assert.equal(wallHit.destroyed, true);
      const cupboardHit = await damage(b.cupboard, 1_000, r.player.id, clock.now(), { type: 'rocket' });
      assert.equal(cupboardHit.destroyed, true);
      const results = await feed([b.wall, b.cupboard]);
      const raidId = results[0].raidId!;
      assert.equal(results[1].raidId, raidId);
      const { rows: gone } = await pool.query('SELECT 1 FROM world.structures WHERE id = ANY ($1)', [
        [b.wall, b.cupboard],
      ]);
      assert.equal(gone.length, 0, 'both structures are destroyed');
      let log = await raid(raidId);
      assert.equal(log.structureId, b.wall);
      assert.deepEqual(log.structure, {
        id: b.wall,
        structureType: 'wall_stone',
        ownerId: b.owner.id,
        factionId: b.defenders,
        position: { x: 5, y: 0, z: log.structure!.position!.z },
        maxHealth: wallHealth,
      });
      assert.equal(log.cupboardDestroyed, true);
      clock.advance(IDLE_MINUTES * MINUTE);
      await close(clock.now());
      log = await raid(raidId);
      assert.deepEqual([log.active, log.successful, log.lootTaken], [false, true, []]);
    });
  });
});
