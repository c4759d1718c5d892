import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { nearestDryLand } from './land';
import { SAMPLE_SPACING, terrainHeight, WATER_LEVEL } from './heightmap';
import { seedFrom } from './noise';

describe('nearestDryLand', () => {
  const seed = seedFrom('trustno1');

  /** Some sample points of the world: which are sea and which are land under this seed. */
  const samples = Array.from({ length: 400 }, (_, i) => ({
    x: ((i % 20) - 10) * 200,
    z: (Math.floor(i / 20) - 10) * 200,
  }));
  const sea = samples.filter((p) => terrainHeight(seed, p.x, p.z) < WATER_LEVEL);
  const land = samples.filter((p) => terrainHeight(seed, p.x, p.z) >= WATER_LEVEL);

  it('has both sea and land to test on', () => {
    assert.ok(sea.length > 0 && land.length > 0, `${sea.length} sea, ${land.length} land`);
  });

  it('keeps a point on land, with the ground height as y', () => {
    for (const p of land.slice(0, 20)) {
      const found = nearestDryLand(seed, p);
      assert.deepEqual(found, { x: p.x, y: terrainHeight(seed, p.x, p.z), z: p.z });
    }
  });

  it('moves a point at sea to dry land nearby, the same every time', () => {
    for (const p of sea.slice(0, 20)) {
      const found = nearestDryLand(seed, p, 2048);
      if (!found) continue;
      assert.ok(terrainHeight(seed, found.x, found.z) >= WATER_LEVEL);
      assert.equal(found.y, terrainHeight(seed, found.x, found.z));
      assert.equal(Math.abs(found.x % SAMPLE_SPACING), 0);
      assert.deepEqual(nearestDryLand(seed, p, 2048), found);
    }
    assert.ok(sea.slice(0, 20).some((p) => nearestDryLand(seed, p, 2048) !== null));
  });

  it('gives up past its reach', () => {
    const deep = sea.find((p) => nearestDryLand(seed, p, 4) === null);
    assert.ok(deep, 'some sample is more than 4 units from land');
    assert.equal(nearestDryLand(seed, deep, 4), null);
  });
});
