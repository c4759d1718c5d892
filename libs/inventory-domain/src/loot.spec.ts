import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { loadCatalog } from './catalog';
import {
  loadLootFile,
  lootProblems,
  lootSeed,
  lootTableFor,
  parseLootFile,
  rollLoot,
  seededRandom,
  type LootTable,
} from './loot';

const TABLE: LootTable = {
  id: 't',
  containerTypes: ['crate'],
  rolls: { min: 2, max: 4 },
  entries: [
    { templateId: 'wood', weight: 3, quantity: { min: 10, max: 20 } },
    { templateId: 'stone', weight: 1, quantity: { min: 1, max: 1 } },
    { templateId: 'sulfur_ore', weight: 5, quantity: { min: 5, max: 5 }, biomes: ['desert'] },
  ],
};

describe('loot tables', () => {
  it('the loot file is valid and agrees with the item catalog', () => {
    const file = loadLootFile();
    assert.deepEqual(lootProblems(file, loadCatalog()), []);
    assert.ok(file.tables.length >= 4);
  });

  it('refuses a bad file naming the field', () => {
    assert.throws(
      () => parseLootFile({ version: 'v1', tables: [{ ...TABLE, rolls: { min: 3, max: 2 } }] }),
      /min must not exceed max/,
    );
    assert.throws(() => parseLootFile({ version: 'v1', tables: [TABLE, TABLE] }), /duplicate id t/);
    assert.deepEqual(
      lootProblems(
        {
          version: 'v1',
          tables: [{ ...TABLE, entries: [{ templateId: 'nope', weight: 1, quantity: { min: 1, max: 1 } }] }],
        },
        loadCatalog(),
      ),
      ['t: unknown template nope'],
    );
  });

  it('picks the table of the container type, a biome table first', () => {
    const tables = loadLootFile().tables;
    assert.equal(lootTableFor(tables, 'crate')?.id, 'crate_basic');
    assert.equal(lootTableFor(tables, 'crate', 'forest')?.id, 'crate_basic');
    assert.equal(lootTableFor(tables, 'crate', 'snow')?.id, 'cache_snow');
    assert.equal(lootTableFor(tables, 'military_crate', 'snow')?.id, 'crate_military');
    assert.equal(lootTableFor(tables, 'fridge'), null);
  });

  it('rolls the same drops from the same seed, other drops from another', () => {
    const a = rollLoot(TABLE, seededRandom(lootSeed('c1', '2026-01')));
    const b = rollLoot(TABLE, seededRandom(lootSeed('c1', '2026-01')));
    assert.deepEqual(a, b);
    const others = Array.from({ length: 20 }, (_, i) =>
      rollLoot(TABLE, seededRandom(lootSeed('c1', `x${i}`))),
    );
    assert.ok(others.some((o) => JSON.stringify(o) !== JSON.stringify(a)));
  });

  it('keeps roll counts and quantities in range and honours weights and biomes', () => {
    const counts: Record<string, number> = {};
    const random = seededRandom('weights');
    for (let i = 0; i < 4000; i++) {
      const drops = rollLoot(TABLE, random);
      assert.ok(drops.length >= 2 && drops.length <= 4);
      for (const d of drops) {
        counts[d.templateId] = (counts[d.templateId] ?? 0) + 1;
        if (d.templateId === 'wood') assert.ok(d.quantity >= 10 && d.quantity <= 20);
        if (d.templateId === 'stone') assert.equal(d.quantity, 1);
      }
    }
    assert.equal(counts.sulfur_ore, undefined, 'a desert-only entry never drops elsewhere');
    const ratio = counts.wood / counts.stone;
    assert.ok(ratio > 2.6 && ratio < 3.4, `wood:stone ${ratio} ≈ 3`);
    const desert = Array.from({ length: 500 }, () => rollLoot(TABLE, random, 'desert')).flat();
    assert.ok(desert.some((d) => d.templateId === 'sulfur_ore'));
  });

  it('seededRandom stays in [0, 1)', () => {
    const random = seededRandom('range');
    for (let i = 0; i < 10_000; i++) {
      const x = random();
      assert.ok(x >= 0 && x < 1);
    }
  });
});
