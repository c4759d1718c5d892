import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { canPlace, firstFreePlace, fits, occupant, overlaps, type Rect } from './grid';

const grid = { width: 6, height: 4 };
const rect = (x: number, y: number, width = 1, height = 1): Rect => ({ x, y, width, height });

describe('grid placement', () => {
  it('fits a rectangle inside the grid, edges included', () => {
    assert.equal(fits(grid, rect(0, 0)), true);
    assert.equal(fits(grid, rect(5, 3)), true);
    assert.equal(fits(grid, rect(4, 0, 2, 4)), true);
  });

  it('refuses negative, past-the-edge, fractional and empty rectangles', () => {
    assert.equal(fits(grid, rect(-1, 0)), false);
    assert.equal(fits(grid, rect(6, 0)), false);
    assert.equal(fits(grid, rect(5, 0, 2, 1)), false);
    assert.equal(fits(grid, rect(0, 1, 2, 4)), false);
    assert.equal(fits(grid, rect(0.5, 0)), false);
    assert.equal(fits(grid, rect(0, 0, 0, 1)), false);
    assert.equal(fits(grid, rect(Number.NaN, 0)), false);
  });

  it('sees overlap of multi-cell items, not mere touching', () => {
    const rifle = rect(1, 0, 2, 4);
    assert.equal(overlaps(rifle, rect(2, 3)), true);
    assert.equal(overlaps(rifle, rect(0, 0, 2, 1)), true);
    assert.equal(overlaps(rifle, rect(3, 0, 1, 4)), false);
    assert.equal(overlaps(rifle, rect(0, 0, 1, 4)), false);
    assert.equal(overlaps(rect(0, 0, 2, 2), rect(2, 2, 2, 2)), false);
    assert.equal(overlaps(rect(0, 0, 3, 3), rect(1, 1)), true);
  });

  it('names the occupant and checks a place', () => {
    const items = [{ ...rect(0, 0, 2, 2), id: 'a' }];
    assert.equal(occupant(items, rect(1, 1))?.id, 'a');
    assert.equal(occupant(items, rect(2, 0)), undefined);
    assert.equal(canPlace(grid, items, rect(2, 0, 2, 4)), true);
    assert.equal(canPlace(grid, items, rect(1, 0, 2, 4)), false);
    assert.equal(canPlace(grid, items, rect(5, 0, 2, 1)), false);
  });

  it('finds the first free place row-major', () => {
    assert.deepEqual(firstFreePlace(grid, [], { width: 2, height: 4 }), { x: 0, y: 0 });
    assert.deepEqual(firstFreePlace(grid, [rect(0, 0)], { width: 1, height: 1 }), { x: 1, y: 0 });
    assert.deepEqual(firstFreePlace(grid, [rect(0, 0, 6, 1)], { width: 1, height: 1 }), { x: 0, y: 1 });
    // A 2×4 item needs a full-height column pair.
    assert.deepEqual(firstFreePlace(grid, [rect(0, 3), rect(3, 0)], { width: 2, height: 4 }), { x: 1, y: 0 });
  });

  it('returns null when nothing fits', () => {
    assert.equal(firstFreePlace(grid, [], { width: 7, height: 1 }), null);
    const full = [rect(0, 0, 6, 2), rect(0, 2, 6, 2)];
    assert.equal(firstFreePlace(grid, full, { width: 1, height: 1 }), null);
    assert.deepEqual(firstFreePlace(grid, [rect(0, 1, 6, 1)], { width: 1, height: 2 }), { x: 0, y: 2 });
  });
});
