import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  BIOMES,
  biomeOf,
  chunkOf,
  chunkRow,
  generateChunk,
  generateHeightmap,
  heightInChunk,
  heightsToBytes,
  HEIGHTMAP_SIZE,
  RESOURCE_AMOUNTS,
  RESOURCE_RULES,
  SAMPLE_SPACING,
  seedFrom,
  terrainMoisture,
} from '@trustno1/world-domain';

const SEED = 42;
const row = (h: Float32Array, size: number, j: number) => Array.from(h.subarray(j * size, (j + 1) * size));
const column = (h: Float32Array, size: number, i: number) =>
  Array.from({ length: size }, (_, j) => h[j * size + i]);

describe('terrain generation', () => {
  it('samples at least 65×65 points on a 2-unit grid', () => {
    const map = generateHeightmap(SEED, 0, 0);
    assert.equal(HEIGHTMAP_SIZE, 65);
    assert.equal(map.size, 65);
    assert.equal(map.spacing, SAMPLE_SPACING);
    assert.equal(map.heights.length, 65 * 65);
    assert.ok(map.heights.every(Number.isFinite));
  });

  it('shares edge samples exactly with the neighbouring chunks, negative ones too', () => {
    const a = generateHeightmap(SEED, 0, 0);
    const east = generateHeightmap(SEED, 1, 0);
    const north = generateHeightmap(SEED, 0, 1);
    assert.deepEqual(column(a.heights, 65, 64), column(east.heights, 65, 0));
    assert.deepEqual(row(a.heights, 65, 64), row(north.heights, 65, 0));
    const sw = generateHeightmap(SEED, -1, -1);
    assert.deepEqual(column(sw.heights, 65, 64), column(generateHeightmap(SEED, 0, -1).heights, 65, 0));
  });

  it('is identical for the same seed and chunk, different across chunks and seeds', () => {
    const a = chunkRow(generateChunk(SEED, 3, -2));
    const b = chunkRow(generateChunk(SEED, 3, -2));
    assert.ok(a.terrainData.equals(b.terrainData));
    assert.deepEqual(a.resourceNodes, b.resourceNodes);
    assert.ok(!a.terrainData.equals(chunkRow(generateChunk(SEED, 4, -2)).terrainData));
    assert.ok(!a.terrainData.equals(chunkRow(generateChunk(SEED + 1, 3, -2)).terrainData));
  });

  it('keeps generating the same terrain as when chunks were first stored', () => {
    // A changed generator would make regenerated chunks disagree with stored ones: bump the
    // terrain format and migrate instead of editing this digest.
    const bytes = heightsToBytes(generateHeightmap(SEED, 0, 0).heights);
    assert.equal(createHash('sha256').update(bytes).digest('hex').slice(0, 16), '42767ef4b36aa4d1');
  });

  it('hashes textual seeds stably', () => {
    assert.equal(seedFrom('trust-no-1'), seedFrom('trust-no-1'));
    assert.notEqual(seedFrom('trust-no-1'), seedFrom('trust-no-2'));
    assert.equal(seedFrom(-1), 4294967295);
  });

  it('interpolates heights between samples and hits samples exactly on the grid', () => {
    const map = generateHeightmap(SEED, 0, 0);
    assert.equal(heightInChunk(map, 6, 4), map.heights[2 * 65 + 3]);
    const mid = heightInChunk(map, 7, 4);
    const [l, r] = [map.heights[2 * 65 + 3], map.heights[2 * 65 + 4]];
    assert.ok(Math.abs(mid - (l + r) / 2) < 1e-4);
  });
});

describe('biomes', () => {
  it('classifies by height bands, then moisture', () => {
    assert.equal(biomeOf(-3, 0), 'water');
    assert.equal(biomeOf(1, 0), 'beach');
    assert.equal(biomeOf(20, -0.5), 'desert');
    assert.equal(biomeOf(20, 0), 'grassland');
    assert.equal(biomeOf(20, 0.5), 'forest');
    assert.equal(biomeOf(50, 0.5), 'mountain');
    assert.equal(biomeOf(80, -0.5), 'snow');
  });

  it('gives a world several biomes', () => {
    const seen = new Set<string>();
    for (let cx = -8; cx < 8; cx++)
      for (let cz = -8; cz < 8; cz++) seen.add(generateChunk(SEED, cx, cz).biome);
    assert.ok(seen.size >= 4, `only ${[...seen].join(', ')}`);
    for (const b of seen) assert.ok((BIOMES as readonly string[]).includes(b));
  });
});

describe('resource nodes', () => {
  it('lie on the terrain of their chunk, follow their biome rules and have stable unique ids', () => {
    let total = 0;
    for (let cx = -4; cx < 4; cx++) {
      for (let cz = -4; cz < 4; cz++) {
        const chunk = generateChunk(SEED, cx, cz);
        const ids = new Set(chunk.resourceNodes.map((n) => n.id));
        assert.equal(ids.size, chunk.resourceNodes.length);
        for (const node of chunk.resourceNodes) {
          const { x, y, z } = node.position;
          assert.deepEqual([chunkOf(x), chunkOf(z)], [cx, cz], node.id);
          const lx = x - cx * 128;
          const lz = z - cz * 128;
          assert.ok(Math.abs(y - heightInChunk(chunk.heightmap, lx, lz)) <= 0.01, `${node.id} floats`);
          const biome = biomeOf(heightInChunk(chunk.heightmap, lx, lz), terrainMoisture(SEED, x, z));
          assert.ok((RESOURCE_RULES[biome][node.type] ?? 0) > 0, `${node.type} in ${biome}`);
          const [min, max] = RESOURCE_AMOUNTS[node.type];
          assert.ok(node.amount >= min && node.amount <= max);
        }
        total += chunk.resourceNodes.length;
      }
    }
    assert.ok(total > 100, `only ${total} nodes in 64 chunks`);
  });
});
