import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import {
  decodeTerrain,
  encodeTerrain,
  generateHeightmap,
  TERRAIN_FORMAT_VERSION,
  TerrainFormatError,
  terrainPayload,
  type Heightmap,
} from '@trustno1/world-domain';

const small: Heightmap = {
  size: 3,
  spacing: 2,
  heights: Float32Array.from([-12.5, 0, 3.25, 7, 1e-3, -0, 90, 42, 1]),
};

describe('terrain codec', () => {
  it('round-trips exactly, header included', () => {
    for (const map of [small, generateHeightmap(7, -2, 5)]) {
      const back = decodeTerrain(encodeTerrain(map));
      assert.equal(back.size, map.size);
      assert.equal(back.spacing, map.spacing);
      assert.deepEqual(back.heights, map.heights);
    }
  });

  it('writes a readable header and compresses the heights', () => {
    const map = generateHeightmap(7, 0, 0);
    const data = encodeTerrain(map);
    assert.equal(data.toString('latin1', 0, 4), 'TNHM');
    assert.equal(data.readUInt8(4), TERRAIN_FORMAT_VERSION);
    assert.equal(data.readUInt16LE(6), 65);
    assert.equal(data.readFloatLE(8), 2);
    assert.ok(data.length < map.heights.length * 4 * 0.75, `${data.length} bytes`);
  });

  it('refuses foreign, newer and truncated data', () => {
    const data = encodeTerrain(small);
    assert.throws(() => decodeTerrain(Buffer.from('nonsense-nonsense')), TerrainFormatError);
    const newer = Buffer.from(data);
    newer.writeUInt8(TERRAIN_FORMAT_VERSION + 1, 4);
    assert.throws(() => decodeTerrain(newer), /version 2/);
    const wrongSize = Buffer.from(data);
    wrongSize.writeUInt16LE(4, 6);
    assert.throws(() => decodeTerrain(wrongSize), /expected 16 samples/);
  });

  it('serves heights as base64 of little-endian float32', () => {
    const payload = terrainPayload(small);
    assert.equal(payload.size, 3);
    const raw = Buffer.from(payload.heights, 'base64');
    assert.equal(raw.length, 9 * 4);
    assert.equal(raw.readFloatLE(0), -12.5);
    assert.equal(raw.readFloatLE(3 * 4), 7);
  });
});
