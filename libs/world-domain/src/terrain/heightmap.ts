import { CHUNK_SIZE } from '../chunks';
import { fbm, hash3, type WorldSeed } from './noise';

/** Distance between two heightmap samples in world units. */
export const SAMPLE_SPACING = 2;
/** Samples per chunk side: 0..128 inclusive, so a chunk's east edge is its neighbour's west edge. */
export const HEIGHTMAP_SIZE = CHUNK_SIZE / SAMPLE_SPACING + 1;
/** Sea level in world units; terrain below it is water. */
export const WATER_LEVEL = 0;

/**
 * Heights of one chunk in world units (metres) above sea level, row-major by z then x:
 * `heights[j * size + i]` is the height at world (chunkX*128 + i*spacing, chunkZ*128 + j*spacing).
 */
export interface Heightmap {
  size: number;
  spacing: number;
  heights: Float32Array;
}

// Wavelengths in world units: continents vary over ~400 units, moisture over ~600.
const HEIGHT_SCALE = 384;
const MOISTURE_SCALE = 640;
const HEIGHT_OCTAVES = 5;
// Heights are kept on a 1/64-unit grid: exact in Float32 and the zeroed low bits deflate better.
const QUANTUM = 64;

/** Terrain height at a world point, a pure function of seed and coordinates. */
export function terrainHeight(seed: WorldSeed, x: number, z: number): number {
  const n = fbm(hash3(seed, 1, 0), x / HEIGHT_SCALE, z / HEIGHT_SCALE, HEIGHT_OCTAVES);
  // Pushes the distribution up a little so land dominates and peaks reach snow now and then.
  const h = 10 + n * 70 + Math.max(0, n) * n * 60;
  return Math.round(h * QUANTUM) / QUANTUM;
}

/** Moisture in [-1, 1] at a world point: wet lands grow forests, dry ones turn to desert. */
export function terrainMoisture(seed: WorldSeed, x: number, z: number): number {
  return fbm(hash3(seed, 2, 0), x / MOISTURE_SCALE, z / MOISTURE_SCALE, 3);
}

/** Samples the chunk's heightmap from world coordinates only, so shared edges match bit for bit. */
export function generateHeightmap(seed: WorldSeed, cx: number, cz: number): Heightmap {
  const size = HEIGHTMAP_SIZE;
  const heights = new Float32Array(size * size);
  const x0 = cx * CHUNK_SIZE;
  const z0 = cz * CHUNK_SIZE;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      heights[j * size + i] = terrainHeight(seed, x0 + i * SAMPLE_SPACING, z0 + j * SAMPLE_SPACING);
    }
  }
  return { size, spacing: SAMPLE_SPACING, heights };
}

/**
 * Height at a point inside a chunk's heightmap by bilinear interpolation; `lx`/`lz` are local
 * world units from the chunk's min corner, clamped to the chunk.
 */
export function heightInChunk(map: Heightmap, lx: number, lz: number): number {
  const max = map.size - 1;
  const fx = Math.min(max, Math.max(0, lx / map.spacing));
  const fz = Math.min(max, Math.max(0, lz / map.spacing));
  const i = Math.min(max - 1, Math.floor(fx));
  const j = Math.min(max - 1, Math.floor(fz));
  const tx = fx - i;
  const tz = fz - j;
  const at = (a: number, b: number) => map.heights[b * map.size + a];
  const top = at(i, j) + (at(i + 1, j) - at(i, j)) * tx;
  const bottom = at(i, j + 1) + (at(i + 1, j + 1) - at(i, j + 1)) * tx;
  return top + (bottom - top) * tz;
}
