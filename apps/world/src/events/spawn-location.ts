import {
  biomeOf,
  random01,
  seedFrom,
  terrainHeight,
  terrainMoisture,
  SAMPLE_SPACING,
  WATER_LEVEL,
  type EventTemplate,
  type WorldSeed,
} from '@trustno1/world-domain';

export interface SpawnPoint {
  x: number;
  y: number;
  z: number;
  biome: string;
}

/**
 * A random valid place for an event: on dry land (at or above sea level) in one of the template's
 * spawn biomes, inside ±halfSize on x and z, on a heightmap sample point. Random but reproducible: the points come from a
 * hash of `spawnKey`, so the same spawn request always picks the same place. Null when none of
 * `attempts` points qualifies.
 */
export function pickSpawnLocation(
  seed: WorldSeed,
  template: Pick<EventTemplate, 'spawnBiomes'>,
  spawnKey: string,
  bounds: { halfSize: number; attempts: number },
): SpawnPoint | null {
  const draw = seedFrom(spawnKey);
  const allowed = new Set<string>(template.spawnBiomes);
  for (let attempt = 0; attempt < bounds.attempts; attempt++) {
    const x = round((random01(draw, attempt, 0) * 2 - 1) * bounds.halfSize);
    const z = round((random01(draw, attempt, 1) * 2 - 1) * bounds.halfSize);
    const height = terrainHeight(seed, x, z);
    if (height < WATER_LEVEL) continue;
    const biome = biomeOf(height, terrainMoisture(seed, x, z));
    if (allowed.has(biome)) return { x, y: height, z, biome };
  }
  return null;
}

/** A fraction in [0, 1) for the `k`-th roll of a key (durations, rewards). */
export function rollFor(key: string, k: number): number {
  return random01(seedFrom(key), k, 2);
}

// On the heightmap grid, so the height is exactly the stored chunk's sample there.
// `|| 0`: no -0 in stored JSON.
const round = (v: number) => Math.round(v / SAMPLE_SPACING) * SAMPLE_SPACING || 0;
