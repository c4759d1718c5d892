import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { CHUNK_SIZE, chunkAt, chunkBounds, chunkOf } from '@trustno1/world-domain';

describe('chunk math', () => {
  it('floors coordinates into 128-unit chunks, negative ones included', () => {
    assert.equal(CHUNK_SIZE, 128);
    const cases: Array<[number, number]> = [
      [0, 0],
      [127.99, 0],
      [128, 1],
      [300, 2],
      [-0.01, -1],
      [-128, -1],
      [-128.01, -2],
      [-256, -2],
    ];
    for (const [x, chunk] of cases) assert.equal(chunkOf(x), chunk, `chunkOf(${x})`);
  });

  it('finds the chunk of a point on both axes', () => {
    assert.deepEqual(chunkAt(-1, 129), { x: -1, z: 1 });
  });

  it('gives bounds whose min belongs to the chunk and whose max belongs to the next', () => {
    const b = chunkBounds(-1, 2);
    assert.deepEqual(b, { minX: -128, minZ: 256, maxX: 0, maxZ: 384 });
    assert.equal(chunkOf(b.minX), -1);
    assert.equal(chunkOf(b.maxX), 0);
  });
});
