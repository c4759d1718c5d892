/**
 * Grid placement, the same rules the database enforces (prisma/migrations/*_inventory_rules):
 * an item covers the half-open cells [x, x + width) × [y, y + height); items never share a cell;
 * the first free place is row-major (top row first, then left to right).
 */
export interface Size {
  width: number;
  height: number;
}

export interface Rect extends Size {
  x: number;
  y: number;
}

/** True when the rectangle lies inside a grid of the given size (integers only). */
export function fits(grid: Size, rect: Rect): boolean {
  const values = [rect.x, rect.y, rect.width, rect.height];
  if (!values.every(Number.isSafeInteger)) return false;
  return (
    rect.width > 0 &&
    rect.height > 0 &&
    rect.x >= 0 &&
    rect.y >= 0 &&
    rect.x + rect.width <= grid.width &&
    rect.y + rect.height <= grid.height
  );
}

/** True when the two rectangles share at least one cell (touching edges do not). */
export function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** The first item of `items` that shares a cell with `rect`, if any. */
export function occupant<T extends Rect>(items: readonly T[], rect: Rect): T | undefined {
  return items.find((item) => overlaps(item, rect));
}

/** True when `rect` is inside the grid and free of every item in `items`. */
export function canPlace(grid: Size, items: readonly Rect[], rect: Rect): boolean {
  return fits(grid, rect) && occupant(items, rect) === undefined;
}

/** The row-major first place where an item of `size` fits, or null when the grid is full for it. */
export function firstFreePlace(
  grid: Size,
  items: readonly Rect[],
  size: Size,
): { x: number; y: number } | null {
  for (let y = 0; y + size.height <= grid.height; y++) {
    for (let x = 0; x + size.width <= grid.width; x++) {
      if (canPlace(grid, items, { x, y, ...size })) return { x, y };
    }
  }
  return null;
}
