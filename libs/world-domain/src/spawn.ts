import { createHash } from 'node:crypto';
import { z } from 'zod';
import { nearestDryLand } from './terrain/land';
import type { WorldSeed } from './terrain/noise';

/** A point of the world. */
export interface SpawnPoint {
  x: number;
  y: number;
  z: number;
}

/**
 * Where characters appear: a new one (accounts) and a dead one brought back (combat's respawn).
 * Beach spawns spread over the map, so players do not all appear on one spot.
 */
export const DEFAULT_SPAWN_POINTS: readonly SpawnPoint[] = [
  { x: 412.5, y: 8, z: -1810 },
  { x: -1536, y: 6.5, z: -220.25 },
  { x: 1790, y: 7, z: 640 },
  { x: -300.75, y: 9, z: 1702 },
];

/**
 * The spawn point of a key (a character id, a death), chosen by hashing it: deterministic, so a
 * retried request or a test can predict it, and spread evenly over the list.
 */
export function spawnPointFor(key: string, points: readonly SpawnPoint[]): SpawnPoint {
  if (points.length === 0) throw new Error('no spawn points configured');
  const index = createHash('sha256').update(key).digest().readUInt32BE(0) % points.length;
  return points[index];
}

const finite = z.number().finite();
const spawnPointsSchema = z
  .array(z.strictObject({ x: finite, y: finite, z: finite }))
  .min(1)
  .max(256);

/**
 * Spawn points from `SPAWN_POINTS` (a JSON array of `{x, y, z}`), else the defaults. A bad value
 * stops the app naming the variable, like every other setting.
 */
export function spawnPointsFromEnv(env: NodeJS.ProcessEnv = process.env): readonly SpawnPoint[] {
  const raw = env.SPAWN_POINTS;
  if (raw === undefined || raw === '') return DEFAULT_SPAWN_POINTS;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error('Invalid configuration:\n  - SPAWN_POINTS: must be a JSON array of {x, y, z}');
  }
  const result = spawnPointsSchema.safeParse(parsed);
  if (!result.success) {
    throw new Error(
      `Invalid configuration:\n  - SPAWN_POINTS: must be 1 to 256 positions {x, y, z} (${result.error.issues[0]?.message})`,
    );
  }
  return result.data;
}

/** How far a configured spawn point may be moved to reach dry land, in world units. */
export const SPAWN_LAND_REACH = 512;

/**
 * Every spawn point on dry land: a point over water moves to the nearest land sample of the
 * world's terrain (the same heightmap the world app generates chunks from), with the ground
 * height as y. A point with no land within SPAWN_LAND_REACH stops the app naming SPAWN_POINTS.
 */
export function spawnPointsOnLand(
  points: readonly SpawnPoint[],
  seed: WorldSeed,
  reach = SPAWN_LAND_REACH,
): readonly SpawnPoint[] {
  return points.map((point, index) => {
    const land = nearestDryLand(seed, point, reach);
    if (!land) {
      throw new Error(
        `Invalid configuration:\n  - SPAWN_POINTS: point ${index} (${point.x}, ${point.z}) has no dry land within ${reach} units for WORLD_SEED`,
      );
    }
    return land;
  });
}
