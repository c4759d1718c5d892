/**
 * A binary min-heap of node indices keyed by a number. Entries are never decreased in place:
 * A* pushes a node again with its better key and skips stale entries when they surface.
 */
export class MinHeap {
  private readonly nodes: number[] = [];
  private readonly keys: number[] = [];

  get size(): number {
    return this.nodes.length;
  }

  push(node: number, key: number): void {
    const { nodes, keys } = this;
    let i = nodes.length;
    nodes.push(node);
    keys.push(key);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent] <= key) break;
      nodes[i] = nodes[parent];
      keys[i] = keys[parent];
      i = parent;
    }
    nodes[i] = node;
    keys[i] = key;
  }

  /** Removes and returns the node with the smallest key, or -1 when empty. */
  pop(): number {
    const { nodes, keys } = this;
    if (nodes.length === 0) return -1;
    const top = nodes[0];
    const lastNode = nodes.pop()!;
    const lastKey = keys.pop()!;
    const n = nodes.length;
    if (n === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && keys[right] < keys[left] ? right : left;
      if (keys[child] >= lastKey) break;
      nodes[i] = nodes[child];
      keys[i] = keys[child];
      i = child;
    }
    nodes[i] = lastNode;
    keys[i] = lastKey;
    return top;
  }
}
