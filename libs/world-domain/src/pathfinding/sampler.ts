import { CHUNK_SIZE, chunkOf } from '../chunks';
import { generateHeightmap, type Heightmap } from '../terrain/heightmap';
import type { WorldSeed } from '../terrain/noise';

/** Terrain height at a grid point in world coordinates (multiples of the sample spacing). */
export type HeightSampler = (x: number, z: number) => number;

/**
 * A sampler over chunk heightmaps fetched on demand (from the database, a cache or the
 * generator) and kept for the sampler's lifetime, so a path can wander across chunk borders.
 * A point on a border reads the chunk it belongs to; neighbours share edge samples anyway.
 */
export function chunkSampler(load: (cx: number, cz: number) => Heightmap): HeightSampler {
  const cache = new Map<string, Heightmap>();
  return (x, z) => {
    const cx = chunkOf(x);
    const cz = chunkOf(z);
    const key = `${cx},${cz}`;
    let map = cache.get(key);
    if (!map) {
      map = load(cx, cz);
      cache.set(key, map);
    }
    const i = Math.round((x - cx * CHUNK_SIZE) / map.spacing);
    const j = Math.round((z - cz * CHUNK_SIZE) / map.spacing);
    return map.heights[j * map.size + i];
  };
}

/** A sampler over freshly generated terrain of a world seed. */
export function generatedSampler(seed: WorldSeed): HeightSampler {
  return chunkSampler((cx, cz) => generateHeightmap(seed, cx, cz));
}
