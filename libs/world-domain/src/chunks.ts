/** Side of a chunk in world units (SPEC §4). */
export const CHUNK_SIZE = 128;

export interface ChunkCoord {
  x: number;
  z: number;
}

/** Axis-aligned rectangle on the ground plane, bounds inclusive. */
export interface Rect {
  minX: number;
  minZ: number;
  maxX: number;
  maxZ: number;
}

/** The chunk index holding world coordinate `v`; floor, so -0.5 lies in chunk -1. */
export function chunkOf(v: number): number {
  return Math.floor(v / CHUNK_SIZE);
}

/** The chunk holding a world point. */
export function chunkAt(x: number, z: number): ChunkCoord {
  return { x: chunkOf(x), z: chunkOf(z) };
}

/**
 * World-space bounds of a chunk: min inclusive, max exclusive for ownership (a point at max belongs
 * to the next chunk), although the heightmap also samples the max edge so neighbours share it.
 */
export function chunkBounds(cx: number, cz: number): Rect {
  return {
    minX: cx * CHUNK_SIZE,
    minZ: cz * CHUNK_SIZE,
    maxX: (cx + 1) * CHUNK_SIZE,
    maxZ: (cz + 1) * CHUNK_SIZE,
  };
}
