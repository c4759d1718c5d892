import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import {
  chunkSampler,
  findPath,
  generatedSampler,
  MinHeap,
  type Heightmap,
  type PathPoint,
  type PathResult,
  type Rect,
} from '@trustno1/world-domain';

const flat = () => 0;
const SQ2 = Math.SQRT2;

function found(r: PathResult): Extract<PathResult, { status: 'found' }> {
  assert.equal(r.status, 'found', `expected a path, got ${r.status}`);
  return r;
}

function steepestDeg(path: PathPoint[]): number {
  let max = 0;
  for (let k = 1; k < path.length; k++) {
    const run = Math.hypot(path[k].x - path[k - 1].x, path[k].z - path[k - 1].z);
    max = Math.max(max, (Math.atan2(Math.abs(path[k].y - path[k - 1].y), run) * 180) / Math.PI);
  }
  return max;
}

const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} ≠ ${b}`);

describe('A* on known maps', () => {
  it('walks the diagonal of a flat open grid', () => {
    const r = found(findPath(flat, { x: 0, z: 0 }, { x: 20, z: 20 }));
    near(r.length, 20 * SQ2);
    assert.equal(r.path.length, 11);
    assert.deepEqual(r.path[0], { x: 0, y: 0, z: 0 });
    assert.deepEqual(r.path.at(-1), { x: 20, y: 0, z: 20 });
  });

  it('goes through the one gap of a wall, squarely', () => {
    const wall: Rect[] = [
      { minX: 20, maxX: 20, minZ: -1000, maxZ: 19 },
      { minX: 20, maxX: 20, minZ: 21, maxZ: 1000 },
    ];
    const r = found(findPath(flat, { x: 0, z: 0 }, { x: 40, z: 0 }, { obstacles: wall }));
    // (0,0)→(18,20): 9 diagonals and 1 step; through the gap: 2 steps; then the mirror image.
    near(r.length, 36 * SQ2 + 8);
    assert.ok(r.path.some((p) => p.x === 20 && p.z === 20));
  });

  it('climbs out of a U-shaped obstacle to reach the point behind it', () => {
    const u: Rect[] = [
      { minX: -10, maxX: -10, minZ: -10, maxZ: 10 },
      { minX: 10, maxX: 10, minZ: -10, maxZ: 10 },
      { minX: -10, maxX: 10, minZ: -10, maxZ: -10 },
    ];
    const r = found(findPath(flat, { x: 0, z: 0 }, { x: 0, z: -20 }, { obstacles: u }));
    // In grid cells: out to (4,6) 4√2+2, round the arm's top 3, down 12, round its foot 1, home 4√2+1.
    near(r.length, 2 * (8 * SQ2 + 18));
  });
});

describe('A* refusals', () => {
  it('reports a goal walled in by structures as unreachable', () => {
    const box: Rect[] = [
      { minX: -10, maxX: 10, minZ: -10, maxZ: -10 },
      { minX: -10, maxX: 10, minZ: 10, maxZ: 10 },
      { minX: -10, maxX: -10, minZ: -10, maxZ: 10 },
      { minX: 10, maxX: 10, minZ: -10, maxZ: 10 },
    ];
    assert.equal(findPath(flat, { x: 40, z: 0 }, { x: 0, z: 0 }, { obstacles: box }).status, 'unreachable');
    assert.equal(findPath(flat, { x: 40, z: 0 }, { x: 10, z: 0 }, { obstacles: box }).status, 'unreachable');
  });

  it('reports a goal inside a ring of cliffs as unreachable', () => {
    const ring = (x: number, z: number) => (Math.hypot(x, z) >= 8 && Math.hypot(x, z) <= 12 ? 20 : 0);
    assert.equal(findPath(ring, { x: 40, z: 0 }, { x: 0, z: 0 }).status, 'unreachable');
    found(findPath(ring, { x: 40, z: 0 }, { x: 0, z: 0 }, { maxSlopeDeg: 89 }));
  });

  it('does not wade through deep water unless allowed', () => {
    // 1.8 units deep with banks gentle enough to walk: only the depth stops a walker.
    const river = (x: number) => (x >= 10 && x <= 30 ? -1.8 : 0);
    assert.equal(findPath(river, { x: 0, z: 0 }, { x: 40, z: 0 }).status, 'unreachable');
    found(findPath(river, { x: 0, z: 0 }, { x: 40, z: 0 }, { maxWaterDepth: 2 }));
  });

  it('gives up with too_far beyond its node budget', () => {
    const r = findPath(flat, { x: 0, z: 0 }, { x: 256, z: 0 }, { maxNodes: 50 });
    assert.equal(r.status, 'too_far');
    found(findPath(flat, { x: 0, z: 0 }, { x: 256, z: 0 }, { maxNodes: 500 }));
  });
});

describe('A* and slopes', () => {
  it('takes a 45° ramp at a 45° limit but not a steeper one', () => {
    // margin 0 leaves a one-row corridor, so the walker cannot zigzag up at a gentler diagonal.
    const corridor = { maxSlopeDeg: 45, margin: 0 };
    found(findPath((x) => x, { x: 0, z: 0 }, { x: 20, z: 0 }, corridor));
    const steep = (x: number) => x * 1.01;
    assert.equal(findPath(steep, { x: 0, z: 0 }, { x: 20, z: 0 }, corridor).status, 'unreachable');
  });

  it('goes round a steep ridge even when climbing it would be shorter', () => {
    const ridge = (x: number, z: number) => (x >= 18 && x <= 22 && Math.abs(z) <= 20 ? 10 : 0);
    const around = found(findPath(ridge, { x: 0, z: 0 }, { x: 40, z: 0 }));
    const over = found(findPath(ridge, { x: 0, z: 0 }, { x: 40, z: 0 }, { maxSlopeDeg: 89 }));
    assert.ok(over.length < around.length, `${over.length} vs ${around.length}`);
    assert.ok(over.path.some((p) => p.y === 10));
    assert.ok(around.path.every((p) => p.y === 0));
    assert.ok(steepestDeg(around.path) <= 45);
  });

  it('prefers gentler ground when a slope penalty is set', () => {
    const hill = (x: number, z: number) => Math.max(0, 8 - Math.hypot(x - 20, z) * 0.8);
    const plain = found(findPath(hill, { x: 0, z: 0 }, { x: 40, z: 0 }));
    const careful = found(findPath(hill, { x: 0, z: 0 }, { x: 40, z: 0 }, { slopePenalty: 5 }));
    const climb = (r: typeof plain) => Math.max(...r.path.map((p) => p.y));
    assert.ok(climb(careful) < climb(plain), `${climb(careful)} vs ${climb(plain)}`);
  });
});

describe('A* across chunks', () => {
  // A tilted plane stored as chunk heightmaps: a wrong chunk or sample index shows up as a wrong y.
  const plane = (x: number, z: number) => 50 + 0.25 * x - 0.125 * z;
  const loads: string[] = [];
  const sampler = chunkSampler((cx, cz): Heightmap => {
    loads.push(`${cx},${cz}`);
    const heights = new Float32Array(65 * 65);
    for (let j = 0; j < 65; j++)
      for (let i = 0; i < 65; i++) heights[j * 65 + i] = plane(cx * 128 + i * 2, cz * 128 + j * 2);
    return { size: 65, spacing: 2, heights };
  });

  it('crosses a border and the origin with heights read from the right chunks', () => {
    for (const [from, to] of [
      [
        { x: 110, z: 10 },
        { x: 150, z: 10 },
      ],
      [
        { x: -12, z: -12 },
        { x: 12, z: 12 },
      ],
    ]) {
      const r = found(findPath(sampler, from, to));
      for (const p of r.path) assert.equal(p.y, plane(p.x, p.z), `at ${p.x},${p.z}`);
    }
    for (const chunk of ['0,0', '1,0', '-1,-1', '-1,0', '0,-1']) assert.ok(loads.includes(chunk), chunk);
  });

  it('finds the same path over generated terrain every time', () => {
    const a = findPath(generatedSampler(42), { x: 100, z: 60 }, { x: 160, z: 70 });
    const b = findPath(generatedSampler(42), { x: 100, z: 60 }, { x: 160, z: 70 });
    const r = found(a);
    assert.deepEqual(b, a);
    assert.ok(r.path.some((p) => p.x < 128) && r.path.some((p) => p.x > 128));
    assert.ok(steepestDeg(r.path) <= 45 + 1e-6);
  });

  it('refuses a start inside a structure', () => {
    const r = findPath(
      flat,
      { x: 0, z: 0 },
      { x: 10, z: 0 },
      { obstacles: [{ minX: -1, minZ: -1, maxX: 1, maxZ: 1 }] },
    );
    assert.equal(r.status, 'unreachable');
  });
});

describe('MinHeap', () => {
  it('pops in key order', () => {
    const heap = new MinHeap();
    const keys = [5, 3, 9, 1, 1, 7, 2, 8, 0, 6];
    keys.forEach((k, i) => heap.push(i, k));
    const popped: number[] = [];
    while (heap.size > 0) popped.push(keys[heap.pop()]);
    assert.deepEqual(
      popped,
      [...keys].sort((a, b) => a - b),
    );
    assert.equal(heap.pop(), -1);
  });
});
