import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { loadCatalog } from '@trustno1/inventory-domain';
import {
  CatalogError,
  decayPerHour,
  decayRuleRows,
  loadWorldCatalogs,
  referencedItemTemplateIds,
  STRUCTURE_TIERS,
  WORLD_CATALOG_VERSION,
  WORLD_CATALOGS,
  type WorldCatalogs,
} from '@trustno1/world-domain';

const copy = (): WorldCatalogs => structuredClone(WORLD_CATALOGS);

describe('shipped world catalogs', () => {
  it('carry their version and unique ids in every list', () => {
    assert.equal(WORLD_CATALOGS.version, WORLD_CATALOG_VERSION);
    for (const list of [WORLD_CATALOGS.structures, WORLD_CATALOGS.vehicles, WORLD_CATALOGS.events]) {
      const ids = list.map((e) => e.id);
      assert.equal(new Set(ids).size, ids.length);
    }
  });

  it('have a tool cupboard with an inventory, and every building block in every tier', () => {
    const tc = WORLD_CATALOGS.structures.find((s) => s.id === 'tool_cupboard');
    assert.ok(tc?.toolCupboard && tc.storage);
    assert.equal(WORLD_CATALOGS.structures.filter((s) => s.toolCupboard).length, 1);
    for (const category of ['foundation', 'wall', 'floor']) {
      const tiers = WORLD_CATALOGS.structures.filter((s) => s.category === category).map((s) => s.tier);
      assert.deepEqual(tiers.sort(), [...STRUCTURE_TIERS].sort(), category);
    }
    const boxTiers = new Set(
      WORLD_CATALOGS.structures.filter((s) => s.category === 'storage').map((s) => s.tier),
    );
    assert.ok(boxTiers.size >= 3);
    assert.ok(WORLD_CATALOGS.structures.some((s) => s.category === 'door'));
  });

  it('derive every decay rate from the one tier rule table', () => {
    for (const s of WORLD_CATALOGS.structures)
      assert.equal(s.decayPerHour, decayPerHour(s.tier, s.maxHealth), s.id);
    const rows = decayRuleRows();
    assert.equal(rows.length, WORLD_CATALOGS.structures.length);
    assert.deepEqual(
      rows.find((r) => r.structureType === 'wall_stone'),
      {
        structureType: 'wall_stone',
        tier: 'stone',
        decayPerHour: 100,
      },
    );
  });

  it('name the vehicles and events the game needs, with sane sizes', () => {
    const eventIds = WORLD_CATALOGS.events.map((e) => e.id);
    for (const id of ['airdrop', 'convoy', 'radiation_storm']) assert.ok(eventIds.includes(id), id);
    assert.ok(
      WORLD_CATALOGS.vehicles.some((v) => v.tires === 4) &&
        WORLD_CATALOGS.vehicles.some((v) => v.tires === 0),
    );
  });

  it('name only item templates of the item catalog (upkeep, repair and rewards are created and taken as items)', () => {
    const items = new Set(loadCatalog().items.map((i) => i.id));
    assert.deepEqual(
      referencedItemTemplateIds().filter((id) => !items.has(id)),
      [],
    );
  });

  it('give every structure a repair cost, and an upkeep to every type that decays only when it lapses', () => {
    for (const s of WORLD_CATALOGS.structures) {
      assert.ok(s.repair.length > 0, `${s.id} repair`);
      assert.equal(s.upkeep.length === 0, s.tier === 'twig', `${s.id} upkeep`);
    }
  });

  it('list the item templates they reference, once each', () => {
    const ids = referencedItemTemplateIds();
    assert.deepEqual(ids, [...new Set(ids)].sort());
    for (const id of ['wood', 'stone', 'metal_fragments', 'high_quality_metal', 'rifle_ak'])
      assert.ok(ids.includes(id), id);
  });
});

describe('catalog validation at load', () => {
  const rejects = (mutate: (c: WorldCatalogs) => void, message: RegExp) => {
    const c = copy();
    mutate(c);
    assert.throws(
      () => loadWorldCatalogs(c),
      (e: unknown) => e instanceof CatalogError && message.test(e.message),
    );
  };

  it('accepts the shipped catalogs', () => {
    assert.deepEqual(loadWorldCatalogs(copy()), WORLD_CATALOGS);
  });

  it('rejects duplicate ids', () => {
    rejects((c) => c.vehicles.push({ ...c.vehicles[0] }), /vehicles: duplicate ids motorbike/);
  });

  it('rejects a catalog without a tool cupboard', () => {
    rejects(
      (c) => (c.structures = c.structures.filter((s) => s.id !== 'tool_cupboard')),
      /tool_cupboard is missing/,
    );
  });

  it('rejects unknown tiers, malformed item references and unknown fields, naming the path', () => {
    rejects((c) => Object.assign(c.structures[0], { tier: 'diamond' }), /structures\.0\.tier/);
    rejects(
      (c) => (c.structures[5].upkeep = [{ itemTemplateId: 'Wood!', amount: 1 }]),
      /structures\.5\.upkeep\.0\.itemTemplateId/,
    );
    rejects((c) => (c.events[0].rewards[0].itemTemplateId = ''), /events\.0\.rewards\.0\.itemTemplateId/);
    rejects((c) => Object.assign(c.vehicles[0], { wings: 2 }), /vehicles\.0/);
    rejects((c) => (c.version = 'latest'), /version/);
  });

  it('rejects inverted ranges and storage on a wall', () => {
    rejects((c) => (c.events[1].durationMinutes = { min: 30, max: 10 }), /events\.1\.durationMinutes/);
    rejects(
      (c) => (c.events[0].rewards[1] = { ...c.events[0].rewards[1], min: 9, max: 1 }),
      /events\.0\.rewards/,
    );
    rejects(
      (c) => (c.structures.find((s) => s.id === 'wall_wood')!.storage = { gridWidth: 2, gridHeight: 2 }),
      /storage/,
    );
  });
});
