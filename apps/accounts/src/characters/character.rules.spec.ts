import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { BODY_PARTS, healthSchema } from '@trustno1/contracts';
import { seedFrom, terrainHeight, WATER_LEVEL } from '@trustno1/world-domain';
import {
  chunkOf,
  DEFAULT_SPAWN_POINTS,
  fullHealth,
  spawnPointFor,
  spawnPointsFromEnv,
  spawnPointsOnLand,
} from './character.rules';

describe('character rules', () => {
  it('puts coordinates in 128-unit chunks, rounding negatives down', () => {
    assert.equal(chunkOf(0), 0);
    assert.equal(chunkOf(127.99), 0);
    assert.equal(chunkOf(128), 1);
    assert.equal(chunkOf(-0.5), -1);
    assert.equal(chunkOf(-128), -1);
    assert.equal(chunkOf(-128.01), -2);
  });

  it('chooses the same spawn point for the same id and uses every point', () => {
    const id = randomUUID();
    assert.deepEqual(spawnPointFor(id, DEFAULT_SPAWN_POINTS), spawnPointFor(id, DEFAULT_SPAWN_POINTS));
    const used = new Set(
      Array.from({ length: 400 }, () => spawnPointFor(randomUUID(), DEFAULT_SPAWN_POINTS)),
    );
    assert.equal(used.size, DEFAULT_SPAWN_POINTS.length);
  });

  it('starts every body part at 100', () => {
    const health = fullHealth();
    assert.deepEqual(Object.keys(health).sort(), [...BODY_PARTS].sort());
    assert.ok(Object.values(health).every((v) => v === 100));
    assert.ok(healthSchema.safeParse(health).success);
  });

  it('reads SPAWN_POINTS and names it when it is bad', () => {
    assert.equal(spawnPointsFromEnv({}), DEFAULT_SPAWN_POINTS);
    assert.deepEqual(spawnPointsFromEnv({ SPAWN_POINTS: '[{"x":1,"y":2,"z":3}]' }), [{ x: 1, y: 2, z: 3 }]);
    for (const bad of ['nope', '[]', '[{"x":1,"y":2}]', '[{"x":1,"y":2,"z":3,"w":4}]']) {
      assert.throws(() => spawnPointsFromEnv({ SPAWN_POINTS: bad }), /SPAWN_POINTS/, bad);
    }
  });

  it('puts every spawn point on dry land of the world, and refuses a sea with no shore in reach', () => {
    const seed = seedFrom('trustno1');
    const wet = DEFAULT_SPAWN_POINTS.filter((p) => terrainHeight(seed, p.x, p.z) < WATER_LEVEL);
    // The bug of issue 10: a default spawn point of the default world lies in the sea.
    assert.ok(wet.length > 0);
    const placed = spawnPointsOnLand(DEFAULT_SPAWN_POINTS, seed);
    assert.equal(placed.length, DEFAULT_SPAWN_POINTS.length);
    for (const p of placed) {
      assert.ok(terrainHeight(seed, p.x, p.z) >= WATER_LEVEL, JSON.stringify(p));
      assert.equal(p.y, terrainHeight(seed, p.x, p.z));
    }
    assert.throws(
      () => spawnPointsOnLand(wet, seed, 0),
      /SPAWN_POINTS: point 0 .* no dry land within 0 units/,
    );
  });
});
