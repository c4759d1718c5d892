import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { Pool } from 'pg';
import { createPrismaClient, type PrismaClient } from '@trustno1/db';
import { createTestDatabase, type TestDatabase } from '@trustno1/testing';
import { ITEM_CATEGORIES, loadCatalog, parseCatalog, syncCatalog } from './catalog';

describe('item catalog', () => {
  it('has at least 30 valid templates across every category, 1×1 to 2×4, stackable and not', () => {
    const catalog = loadCatalog();
    assert.ok(catalog.items.length >= 30);
    assert.deepEqual(new Set(catalog.items.map((i) => i.category)), new Set(ITEM_CATEGORIES));
    const sizes = new Set(catalog.items.map((i) => `${i.width}x${i.height}`));
    assert.ok(sizes.has('1x1') && sizes.has('2x4'));
    assert.ok(catalog.items.some((i) => i.stackable) && catalog.items.some((i) => !i.stackable));
    assert.ok(catalog.items.some((i) => i.maxDurability !== null));
  });

  it('refuses duplicates, bad stack rules and unknown fields, naming the field', () => {
    const item = loadCatalog().items[0];
    const bad = (items: unknown[]) => () => parseCatalog({ version: 'v1', items });
    assert.throws(bad([item, item]), /duplicate id/);
    assert.throws(bad([{ ...item, stackable: true, maxStack: 1 }]), /stackable/);
    assert.throws(bad([{ ...item, width: 0 }]), /width/);
    assert.throws(bad([{ ...item, category: 'food' }]), /category/);
    assert.throws(bad([{ ...item, colour: 'red' }]), /colour/);
    const weapon = loadCatalog().items.find((i) => i.category === 'weapon');
    assert.ok(weapon);
    assert.throws(bad([{ ...weapon, data: { ammo: 'ammo_9mm' } }]), /headshotMultiplier/);
    assert.throws(bad([{ ...weapon, data: { ...weapon.data, damage: -1 } }]), /data/);
  });

  describe('syncCatalog', () => {
    let db: TestDatabase;
    let pool: Pool;
    let prisma: PrismaClient;
    beforeAll(async () => {
      db = await createTestDatabase();
      pool = new Pool({ connectionString: db.url, max: 4 });
      prisma = createPrismaClient(pool);
    });
    afterAll(async () => {
      await prisma?.$disconnect();
      await pool?.end();
      await db?.drop();
    });

    it('inserts every template once, then changes nothing, then updates what changed', async () => {
      const catalog = loadCatalog();
      const first = await syncCatalog(prisma, catalog);
      assert.deepEqual(first, {
        version: 'v1',
        inserted: catalog.items.length,
        updated: 0,
        unchanged: 0,
        retired: [],
      });
      const [again] = await Promise.all([syncCatalog(prisma, catalog), syncCatalog(prisma, catalog)]);
      assert.equal(again.inserted + again.updated, 0);
      const changed = { ...catalog, version: 'v2', items: catalog.items.slice(1) };
      const third = await syncCatalog(prisma, changed);
      assert.equal(third.updated, catalog.items.length - 1);
      assert.deepEqual(third.retired, [catalog.items[0].id]);
      const { rows } = await pool.query(
        `SELECT catalog_version, max_stack, data FROM item_templates WHERE id = $1`,
        [catalog.items[1].id],
      );
      assert.deepEqual(rows[0], {
        catalog_version: 'v2',
        max_stack: catalog.items[1].maxStack,
        data: catalog.items[1].data,
      });
    });
  });
});
