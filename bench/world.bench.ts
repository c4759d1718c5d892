/**
 * World rows, pure CPU (no services yet): generating and encoding a chunk's terrain beside the bare
 * noise sampling of its heightmap, and an A* path of 256 units over generated terrain with a base
 * in the way beside walking the straight line's cells. Iterations are capped: each op is whole ms.
 */
import {
  chunkRow,
  chunkSampler,
  findPath,
  generateChunk,
  generateHeightmap,
  SAMPLE_SPACING,
  type Heightmap,
  type Rect,
} from '@trustno1/world-domain';
import type { BenchContext } from './lib/context';
import { measure } from './lib/measure';
import type { BenchRow } from './lib/table';
import { worldServiceRows } from './world-services.bench';

const SEED = 42;
const CAP = 300;
// Routes of 256 units along x on seed 42 that have a walkable path; a 24×24 base sits across each.
const ROUTES_Z = [0, 32, 64, 96];
const BASES: Rect[] = ROUTES_Z.map((z) => ({ minX: 116, maxX: 140, minZ: z - 12, maxZ: z + 12 }));

async function chunkRowBench(ctx: BenchContext): Promise<BenchRow> {
  const opts = { iterations: Math.min(ctx.iterations, CAP), concurrency: 1, warmup: 20 };
  const chunk = (i: number): [number, number] => [(i % 32) - 16, Math.floor(i / 32) - 8];
  const measured = await measure(async (i) => chunkRow(generateChunk(SEED, ...chunk(i))), opts);
  const raw = await measure(async (i) => generateHeightmap(SEED, ...chunk(i)), opts);
  return {
    operation: 'chunk terrain generate+encode',
    measured,
    raw,
    note: 'raw: the 65×65 noise sampling alone; measured adds biome vote, resource nodes and deflate',
  };
}

async function pathRowBench(ctx: BenchContext): Promise<BenchRow> {
  // Heightmaps are loaded once up front: the row measures the search, not terrain generation.
  const maps = new Map<string, Heightmap>();
  const sample = chunkSampler((cx, cz) => {
    const key = `${cx},${cz}`;
    if (!maps.has(key)) maps.set(key, generateHeightmap(SEED, cx, cz));
    return maps.get(key)!;
  });
  const route = (i: number) => ROUTES_Z[i % ROUTES_Z.length];
  const opts = { iterations: Math.min(ctx.iterations, CAP), concurrency: 1, warmup: 20 };
  const measured = await measure(async (i) => {
    const z = route(i);
    const r = findPath(sample, { x: 0, z }, { x: 256, z }, { obstacles: BASES });
    if (r.status !== 'found') throw new Error(`route z=${z}: ${r.status}`);
  }, opts);
  const raw = await measure(async (i) => {
    const z = route(i);
    let steepest = 0;
    for (let x = SAMPLE_SPACING; x <= 256; x += SAMPLE_SPACING) {
      steepest = Math.max(steepest, Math.abs(sample(x, z) - sample(x - SAMPLE_SPACING, z)));
    }
    return steepest;
  }, opts);
  return {
    operation: 'A* path of 256 units',
    measured,
    raw,
    note: 'raw: reading the 129 cells of the straight line and their slopes, no search',
  };
}

/** The world suite for `npm run bench`. */
export async function worldRows(ctx: BenchContext): Promise<BenchRow[]> {
  return [await chunkRowBench(ctx), await pathRowBench(ctx), ...(await worldServiceRows(ctx))];
}
