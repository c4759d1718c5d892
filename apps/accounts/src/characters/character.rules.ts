import { createHash } from 'node:crypto';
import { z } from 'zod';
import { BODY_PARTS, positionSchema, type Health, type Position, type Rotation } from '@trustno1/contracts';
import { nearestDryLand, type WorldSeed } from '@trustno1/world-domain';

/** Chunks are 128 world units wide. */
export const CHUNK_SIZE = 128;
/** Characters one account may own. */
export const MAX_CHARACTERS_PER_ACCOUNT = 5;
/** A new character's own inventory: the usual 10 × 6 backpack grid. */
export const PLAYER_INVENTORY = { gridWidth: 10, gridHeight: 6, maxWeight: 60 } as const;

/** Beach spawns spread over the map, so new players do not all appear on one spot. */
export const DEFAULT_SPAWN_POINTS: readonly Position[] = [
  { x: 412.5, y: 8, z: -1810 },
  { x: -1536, y: 6.5, z: -220.25 },
  { x: 1790, y: 7, z: 640 },
  { x: -300.75, y: 9, z: 1702 },
];

/** Facing north: the identity quaternion. */
export const SPAWN_ROTATION: Rotation = { x: 0, y: 0, z: 0, w: 1 };

/** "Estadísticas y skills" of the seed at level one. */
export function initialStats(): Record<string, unknown> {
  return { level: 1, xp: 0, skills: {} };
}

/** Every body part whole. */
export function fullHealth(): Health {
  return Object.fromEntries(BODY_PARTS.map((part) => [part, 100])) as Health;
}

/** The chunk a world coordinate falls in (negative coordinates round down too). */
export function chunkOf(coordinate: number): number {
  return Math.floor(coordinate / CHUNK_SIZE);
}

/**
 * The spawn point of a character, chosen by hashing its id: deterministic, so a retried creation
 * or a test can predict it, and spread evenly over the list.
 */
export function spawnPointFor(characterId: string, points: readonly Position[]): Position {
  if (points.length === 0) throw new Error('no spawn points configured');
  const index = createHash('sha256').update(characterId).digest().readUInt32BE(0) % points.length;
  return points[index];
}

const spawnPointsSchema = z.array(positionSchema).min(1).max(256);

/**
 * Spawn points from `SPAWN_POINTS` (a JSON array of `{x, y, z}`), else the defaults. A bad value
 * stops the app naming the variable, like every other setting.
 */
export function spawnPointsFromEnv(env: NodeJS.ProcessEnv = process.env): readonly Position[] {
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
  points: readonly Position[],
  seed: WorldSeed,
  reach = SPAWN_LAND_REACH,
): readonly Position[] {
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
