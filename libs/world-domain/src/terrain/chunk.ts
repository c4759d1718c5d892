import { CHUNK_SIZE } from '../chunks';
import { biomeOf, dominantBiome, type Biome } from './biomes';
import { encodeTerrain } from './codec';
import { generateHeightmap, heightInChunk, terrainMoisture, type Heightmap } from './heightmap';
import { placeResources, type ResourceNode } from './resources';
import type { WorldSeed } from './noise';

/** Everything a new `world_chunks` row holds, generated from the world seed. */
export interface GeneratedChunk {
  x: number;
  z: number;
  biome: Biome;
  heightmap: Heightmap;
  resourceNodes: ResourceNode[];
}

// The chunk's biome is voted by an 8×8 grid of points, enough to be stable and cheap.
const VOTE_STEP = 16;

/** Generates a chunk's terrain, biome and resource nodes; pure in (seed, cx, cz). */
export function generateChunk(seed: WorldSeed, cx: number, cz: number): GeneratedChunk {
  const heightmap = generateHeightmap(seed, cx, cz);
  const biomeAt = (lx: number, lz: number) =>
    biomeOf(
      heightInChunk(heightmap, lx, lz),
      terrainMoisture(seed, cx * CHUNK_SIZE + lx, cz * CHUNK_SIZE + lz),
    );
  const votes: Biome[] = [];
  for (let lz = VOTE_STEP / 2; lz < CHUNK_SIZE; lz += VOTE_STEP) {
    for (let lx = VOTE_STEP / 2; lx < CHUNK_SIZE; lx += VOTE_STEP) votes.push(biomeAt(lx, lz));
  }
  return {
    x: cx,
    z: cz,
    biome: dominantBiome(votes),
    heightmap,
    resourceNodes: placeResources(seed, cx, cz, heightmap, biomeAt),
  };
}

/** A generated chunk in the shape of its `world_chunks` row (terrain compressed). */
export function chunkRow(chunk: GeneratedChunk): {
  x: number;
  z: number;
  biomeType: Biome;
  terrainData: Buffer;
  resourceNodes: ResourceNode[];
} {
  return {
    x: chunk.x,
    z: chunk.z,
    biomeType: chunk.biome,
    terrainData: encodeTerrain(chunk.heightmap),
    resourceNodes: chunk.resourceNodes,
  };
}
