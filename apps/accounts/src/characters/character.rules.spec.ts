import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { BODY_PARTS, healthSchema } from '@trustno1/contracts';
import {
  chunkOf,
  DEFAULT_SPAWN_POINTS,
  fullHealth,
  spawnPointFor,
  spawnPointsFromEnv,
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
});
