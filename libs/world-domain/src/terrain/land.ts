import { SAMPLE_SPACING, terrainHeight, WATER_LEVEL } from './heightmap';
import type { WorldSeed } from './noise';

export interface LandPoint {
  x: number;
  y: number;
  z: number;
}

/**
 * The dry-land heightmap sample nearest to (x, z): the point itself when it is on land, else the
 * first land sample found in square rings of growing radius (ties broken by ring order, so the
 * answer is deterministic), within `maxDistance` world units on each axis. `y` is the terrain
 * height there, so a character placed on it stands on the ground. Null when the sea is all there
 * is within reach.
 */
export function nearestDryLand(
  seed: WorldSeed,
  point: { x: number; z: number },
  maxDistance = 512,
): LandPoint | null {
  const x0 = Math.round(point.x / SAMPLE_SPACING) * SAMPLE_SPACING || 0;
  const z0 = Math.round(point.z / SAMPLE_SPACING) * SAMPLE_SPACING || 0;
  const rings = Math.floor(maxDistance / SAMPLE_SPACING);
  for (let ring = 0; ring <= rings; ring++) {
    let best: LandPoint | null = null;
    let bestDistance = Infinity;
    for (let i = -ring; i <= ring; i++) {
      for (const [dx, dz] of ring === 0
        ? [[0, 0]]
        : [
            [i, -ring],
            [i, ring],
            [-ring, i],
            [ring, i],
          ]) {
        const x = x0 + dx * SAMPLE_SPACING;
        const z = z0 + dz * SAMPLE_SPACING;
        const height = terrainHeight(seed, x, z);
        if (height < WATER_LEVEL) continue;
        const distance = (x - point.x) ** 2 + (z - point.z) ** 2;
        if (distance < bestDistance) {
          best = { x, y: height, z };
          bestDistance = distance;
        }
      }
    }
    if (best) return best;
  }
  return null;
}
