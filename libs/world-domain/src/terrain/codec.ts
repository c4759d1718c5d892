import { deflateSync, inflateSync } from 'node:zlib';
import type { Heightmap } from './heightmap';

/**
 * Stored terrain (`world_chunks.terrain_data`): a 12-byte header, then the zlib-deflated heights.
 *   0  4  magic "TNHM"
 *   4  1  format version (1)
 *   5  1  sample type (1 = float32 little-endian, world units)
 *   6  2  size (samples per side, uint16 LE)
 *   8  4  sample spacing in world units (float32 LE)
 */
export const TERRAIN_FORMAT_VERSION = 1;
const MAGIC = 'TNHM';
const HEADER_BYTES = 12;
const FLOAT32_LE = 1;

/** Thrown when stored terrain is not a heightmap this code can read. */
export class TerrainFormatError extends Error {
  override name = 'TerrainFormatError';
}

/** The heights as raw little-endian float32 bytes, whatever the host's endianness. */
export function heightsToBytes(heights: Float32Array): Buffer {
  const out = Buffer.alloc(heights.length * 4);
  for (let i = 0; i < heights.length; i++) out.writeFloatLE(heights[i], i * 4);
  return out;
}

function bytesToHeights(bytes: Buffer): Float32Array {
  const heights = new Float32Array(bytes.length / 4);
  for (let i = 0; i < heights.length; i++) heights[i] = bytes.readFloatLE(i * 4);
  return heights;
}

/** Encodes a heightmap for storage; the same heightmap always gives the same bytes. */
export function encodeTerrain(map: Heightmap): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, 'latin1');
  header.writeUInt8(TERRAIN_FORMAT_VERSION, 4);
  header.writeUInt8(FLOAT32_LE, 5);
  header.writeUInt16LE(map.size, 6);
  header.writeFloatLE(map.spacing, 8);
  return Buffer.concat([header, deflateSync(heightsToBytes(map.heights), { level: 6 })]);
}

/** Decodes stored terrain, refusing unknown formats and truncated data. */
export function decodeTerrain(data: Buffer): Heightmap {
  if (data.length < HEADER_BYTES || data.toString('latin1', 0, 4) !== MAGIC) {
    throw new TerrainFormatError('not a TRUST-NO-1 heightmap');
  }
  const version = data.readUInt8(4);
  if (version !== TERRAIN_FORMAT_VERSION) throw new TerrainFormatError(`unknown terrain version ${version}`);
  if (data.readUInt8(5) !== FLOAT32_LE) throw new TerrainFormatError('unknown sample type');
  const size = data.readUInt16LE(6);
  const spacing = data.readFloatLE(8);
  const raw = inflateSync(data.subarray(HEADER_BYTES));
  if (raw.length !== size * size * 4) {
    throw new TerrainFormatError(`expected ${size * size} samples, got ${raw.length / 4}`);
  }
  return { size, spacing, heights: bytesToHeights(raw) };
}

/** The API's view of terrain (SPEC §7): `{size, heights}` with heights as base64 float32 LE. */
export function terrainPayload(map: Heightmap): { size: number; heights: string } {
  return { size: map.size, heights: heightsToBytes(map.heights).toString('base64') };
}
