import { BODY_PARTS, type Health, type Rotation } from '@trustno1/contracts';

/** Chunks are 128 world units wide. */
export const CHUNK_SIZE = 128;
/** Characters one account may own. */
export const MAX_CHARACTERS_PER_ACCOUNT = 5;
/** A new character's own inventory: the usual 10 × 6 backpack grid. */
export const PLAYER_INVENTORY = { gridWidth: 10, gridHeight: 6, maxWeight: 60 } as const;

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

// The spawn rules live in @trustno1/world-domain: combat's respawn uses them too.
export {
  DEFAULT_SPAWN_POINTS,
  SPAWN_LAND_REACH,
  spawnPointFor,
  spawnPointsFromEnv,
  spawnPointsOnLand,
} from '@trustno1/world-domain';
