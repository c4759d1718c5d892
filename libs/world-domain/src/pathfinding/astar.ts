import type { Rect } from '../chunks';
import { SAMPLE_SPACING, WATER_LEVEL } from '../terrain/heightmap';
import { MinHeap } from './heap';
import type { HeightSampler } from './sampler';

export interface PathOptions {
  /** Steepest passable edge in degrees (default 45). */
  maxSlopeDeg?: number;
  /** Deepest water a walker wades through, in world units below sea level (default 1). */
  maxWaterDepth?: number;
  /** Extra cost per unit of rise over run of an edge: 0 means plain 3D distance (default 0). */
  slopePenalty?: number;
  /** Structure footprints; a grid point inside one (bounds inclusive) is blocked. */
  obstacles?: readonly Rect[];
  /** Nodes expanded before giving up with `too_far` (default 40,000). */
  maxNodes?: number;
  /** World units searched around the start/goal box; beyond it nothing is considered (default 64). */
  margin?: number;
}

export type PathPoint = { x: number; y: number; z: number };
export type PathResult =
  | { status: 'found'; path: PathPoint[]; length: number; expanded: number }
  | { status: 'unreachable'; expanded: number }
  | { status: 'too_far'; expanded: number };

interface Grid {
  minI: number;
  minJ: number;
  width: number;
  height: number;
  heights: Float64Array;
  blocked: Uint8Array;
}

const STEPS: ReadonlyArray<[number, number]> = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
  [1, 1],
  [1, -1],
  [-1, 1],
  [-1, -1],
];
const UNSAMPLED = Number.NaN;

/** What a search knows of the ground: heights sampled once each, passability and edge costs. */
interface Walker {
  heightOf: (n: number) => number;
  open: (n: number) => boolean;
  /** Cost of the move from n by (di, dj), or Infinity when the move is not allowed. */
  edgeCost: (n: number, di: number, dj: number) => number;
}

function makeWalker(grid: Grid, sample: HeightSampler, options: PathOptions): Walker {
  const maxRise = Math.tan(((options.maxSlopeDeg ?? 45) * Math.PI) / 180);
  const floor = WATER_LEVEL - (options.maxWaterDepth ?? 1);
  const penalty = options.slopePenalty ?? 0;
  const heightOf = (n: number) => {
    if (Number.isNaN(grid.heights[n])) {
      const i = (n % grid.width) + grid.minI;
      const j = Math.floor(n / grid.width) + grid.minJ;
      grid.heights[n] = sample(i * SAMPLE_SPACING, j * SAMPLE_SPACING);
    }
    return grid.heights[n];
  };
  const open = (n: number) => grid.blocked[n] === 0 && heightOf(n) >= floor;
  const edgeCost = (n: number, di: number, dj: number) => {
    const m = n + dj * grid.width + di;
    if (!open(m)) return Infinity;
    // No squeezing diagonally between two blocked points (a wall corner or a door frame).
    if (di !== 0 && dj !== 0 && (!open(n + di) || !open(n + dj * grid.width))) return Infinity;
    const run = di !== 0 && dj !== 0 ? SAMPLE_SPACING * Math.SQRT2 : SAMPLE_SPACING;
    const rise = Math.abs(heightOf(m) - heightOf(n));
    // The epsilon keeps an exact 45° ramp passable at a 45° limit despite tan(π/4) < 1 in floats.
    if (rise > run * maxRise + 1e-9) return Infinity;
    return Math.hypot(run, rise) * (1 + (penalty * rise) / run);
  };
  return { heightOf, open, edgeCost };
}

/**
 * A* from `from` to `to` (snapped to the 2-unit sample grid) over 8-connected grid points.
 * Edges cost their 3D length (times the slope penalty); edges steeper than the max slope, deep
 * water and obstacle footprints are impassable; diagonals may not cut a blocked corner.
 */
export function findPath(
  sample: HeightSampler,
  from: { x: number; z: number },
  to: { x: number; z: number },
  options: PathOptions = {},
): PathResult {
  const [si, sj, gi, gj] = [from.x, from.z, to.x, to.z].map((v) => Math.round(v / SAMPLE_SPACING));
  const pad = Math.ceil((options.margin ?? 64) / SAMPLE_SPACING);
  const grid = makeGrid(si, sj, gi, gj, pad, options.obstacles ?? []);
  const walker = makeWalker(grid, sample, options);
  const start = index(grid, si, sj);
  const goal = index(grid, gi, gj);
  if (!walker.open(start) || !walker.open(goal)) return { status: 'unreachable', expanded: 0 };

  const cells = grid.width * grid.height;
  const g = new Float64Array(cells).fill(Infinity);
  const parent = new Int32Array(cells).fill(-1);
  const closed = new Uint8Array(cells);
  const heap = new MinHeap();
  const [goalI, goalJ] = [gi - grid.minI, gj - grid.minJ];
  const estimate = (n: number) => octile(n % grid.width, Math.floor(n / grid.width), goalI, goalJ);
  g[start] = 0;
  heap.push(start, estimate(start));
  let expanded = 0;
  while (heap.size > 0) {
    const n = heap.pop();
    if (closed[n]) continue;
    if (n === goal)
      return { status: 'found', ...tracePath(grid, parent, goal, walker.heightOf, g[goal]), expanded };
    closed[n] = 1;
    if (++expanded > (options.maxNodes ?? 40_000)) return { status: 'too_far', expanded };
    const [ni, nj] = [n % grid.width, Math.floor(n / grid.width)];
    for (const [di, dj] of STEPS) {
      if (ni + di < 0 || nj + dj < 0 || ni + di >= grid.width || nj + dj >= grid.height) continue;
      const m = n + dj * grid.width + di;
      if (closed[m]) continue;
      const cost = g[n] + walker.edgeCost(n, di, dj);
      if (cost < g[m]) {
        g[m] = cost;
        parent[m] = n;
        heap.push(m, cost + estimate(m));
      }
    }
  }
  return { status: 'unreachable', expanded };
}

/** Octile distance in world units: admissible, since every edge costs at least its run. */
function octile(ai: number, aj: number, bi: number, bj: number): number {
  const dx = Math.abs(ai - bi);
  const dz = Math.abs(aj - bj);
  return SAMPLE_SPACING * (Math.max(dx, dz) + (Math.SQRT2 - 1) * Math.min(dx, dz));
}

function makeGrid(
  si: number,
  sj: number,
  gi: number,
  gj: number,
  pad: number,
  obstacles: readonly Rect[],
): Grid {
  const minI = Math.min(si, gi) - pad;
  const minJ = Math.min(sj, gj) - pad;
  const width = Math.max(si, gi) + pad - minI + 1;
  const height = Math.max(sj, gj) + pad - minJ + 1;
  const blocked = new Uint8Array(width * height);
  for (const r of obstacles) {
    const i0 = Math.max(minI, Math.ceil(r.minX / SAMPLE_SPACING));
    const i1 = Math.min(minI + width - 1, Math.floor(r.maxX / SAMPLE_SPACING));
    const j0 = Math.max(minJ, Math.ceil(r.minZ / SAMPLE_SPACING));
    const j1 = Math.min(minJ + height - 1, Math.floor(r.maxZ / SAMPLE_SPACING));
    for (let j = j0; j <= j1; j++)
      blocked.fill(1, (j - minJ) * width + (i0 - minI), (j - minJ) * width + (i1 - minI) + 1);
  }
  return { minI, minJ, width, height, heights: new Float64Array(width * height).fill(UNSAMPLED), blocked };
}

const index = (grid: Grid, i: number, j: number) => (j - grid.minJ) * grid.width + (i - grid.minI);

function tracePath(
  grid: Grid,
  parent: Int32Array,
  goal: number,
  heightOf: (n: number) => number,
  length: number,
) {
  const path: PathPoint[] = [];
  for (let n = goal; n !== -1; n = parent[n]) {
    const x = ((n % grid.width) + grid.minI) * SAMPLE_SPACING;
    const z = (Math.floor(n / grid.width) + grid.minJ) * SAMPLE_SPACING;
    path.push({ x, y: heightOf(n), z });
  }
  return { path: path.reverse(), length };
}
