import { CHUNK_SIZE } from '../chunks';
import type { Biome } from './biomes';
import { heightInChunk, type Heightmap } from './heightmap';
import { hash3, random01, type WorldSeed } from './noise';

export const RESOURCE_TYPES = ['tree', 'stone', 'metal_ore', 'sulfur_ore'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** A harvestable node; `id` is stable for a seed and chunk so harvest state can refer to it. */
export interface ResourceNode {
  id: string;
  type: ResourceType;
  position: { x: number; y: number; z: number };
  amount: number;
}

/** Chance per candidate cell that a node of each type spawns there, by biome (sum ≤ 1). */
export const RESOURCE_RULES: Record<Biome, Partial<Record<ResourceType, number>>> = {
  water: {},
  beach: { stone: 0.04 },
  grassland: { tree: 0.1, stone: 0.05, metal_ore: 0.02, sulfur_ore: 0.01 },
  forest: { tree: 0.45, stone: 0.04, metal_ore: 0.02, sulfur_ore: 0.01 },
  desert: { stone: 0.07, metal_ore: 0.04, sulfur_ore: 0.06 },
  mountain: { tree: 0.02, stone: 0.12, metal_ore: 0.08, sulfur_ore: 0.06 },
  snow: { tree: 0.04, stone: 0.06, metal_ore: 0.06, sulfur_ore: 0.05 },
};

/** Amount range [min, max] of a new node, in units of its resource item. */
export const RESOURCE_AMOUNTS: Record<ResourceType, [number, number]> = {
  tree: [150, 400],
  stone: [300, 700],
  metal_ore: [200, 500],
  sulfur_ore: [200, 500],
};

/** Candidate cells are 16 units wide: at most 64 nodes per chunk, never two on one spot. */
export const RESOURCE_CELL = 16;

/**
 * Places nodes on a chunk: each candidate cell rolls once against its biome's rules, then jitters
 * inside the cell; y is the terrain height under the node.
 */
export function placeResources(
  seed: WorldSeed,
  cx: number,
  cz: number,
  map: Heightmap,
  biomeAt: (lx: number, lz: number) => Biome,
): ResourceNode[] {
  const nodes: ResourceNode[] = [];
  const cells = CHUNK_SIZE / RESOURCE_CELL;
  const chunkSeed = hash3(hash3(seed, 3, 0), cx, cz);
  for (let cell = 0; cell < cells * cells; cell++) {
    const lx = (cell % cells) * RESOURCE_CELL + 2 + random01(chunkSeed, cell, 1) * (RESOURCE_CELL - 4);
    const lz =
      Math.floor(cell / cells) * RESOURCE_CELL + 2 + random01(chunkSeed, cell, 2) * (RESOURCE_CELL - 4);
    const type = pick(RESOURCE_RULES[biomeAt(lx, lz)], random01(chunkSeed, cell, 3));
    if (!type) continue;
    const [min, max] = RESOURCE_AMOUNTS[type];
    const round2 = (v: number) => Math.round(v * 100) / 100;
    nodes.push({
      id: `${cx}:${cz}:${cell}`,
      type,
      position: {
        x: round2(cx * CHUNK_SIZE + lx),
        y: round2(heightInChunk(map, lx, lz)),
        z: round2(cz * CHUNK_SIZE + lz),
      },
      amount: min + Math.floor(random01(chunkSeed, cell, 4) * (max - min + 1)),
    });
  }
  return nodes;
}

function pick(rules: Partial<Record<ResourceType, number>>, roll: number): ResourceType | undefined {
  let acc = 0;
  for (const type of Object.keys(rules) as ResourceType[]) {
    acc += rules[type] ?? 0;
    if (roll < acc) return type;
  }
  return undefined;
}
