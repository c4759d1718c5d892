import { WATER_LEVEL } from './heightmap';

/** Biomes in the order the catalogs and `world_chunks.biome_type` name them. */
export const BIOMES = ['water', 'beach', 'grassland', 'forest', 'desert', 'mountain', 'snow'] as const;
export type Biome = (typeof BIOMES)[number];

// Height bands in world units above sea level; moisture thresholds in [-1, 1].
const BEACH_TOP = WATER_LEVEL + 2;
const MOUNTAIN_FLOOR = 45;
const SNOW_LINE = 70;
const DRY = -0.2;
const WET = 0.15;

/** The biome of a sample from its height and moisture. */
export function biomeOf(height: number, moisture: number): Biome {
  if (height < WATER_LEVEL) return 'water';
  if (height < BEACH_TOP) return 'beach';
  if (height >= SNOW_LINE) return 'snow';
  if (height >= MOUNTAIN_FLOOR) return 'mountain';
  if (moisture < DRY) return 'desert';
  if (moisture > WET) return 'forest';
  return 'grassland';
}

/** The most frequent biome of a set of samples (ties go to the earlier biome in {@link BIOMES}). */
export function dominantBiome(biomes: Iterable<Biome>): Biome {
  const counts = new Map<Biome, number>();
  for (const b of biomes) counts.set(b, (counts.get(b) ?? 0) + 1);
  let best: Biome = 'water';
  let bestCount = -1;
  for (const b of BIOMES) {
    const c = counts.get(b) ?? 0;
    if (c > bestCount) [best, bestCount] = [b, c];
  }
  return best;
}
