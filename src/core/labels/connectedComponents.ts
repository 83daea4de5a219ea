export type Connectivity = 4 | 8;

export interface Components {
  /** width*height: 0 off the mask, 1..count on it, numbered in raster order of each component's first pixel. */
  readonly labels: Int32Array;
  readonly count: number;
}

/**
 * Connected components of a mask (two-pass union-find). Numbering follows the
 * raster order of each component's first pixel, as skimage.measure.label does.
 */
export function connectedComponents(mask: ArrayLike<number | boolean>, width: number, height: number, connectivity: Connectivity = 4): Components {
  const parent = new Int32Array(width * height).fill(-1);
  const find = (i: number): number => {
    let root = i;
    while ((parent[root] as number) !== root) root = parent[root] as number;
    while ((parent[i] as number) !== root) {
      const next = parent[i] as number;
      parent[i] = root;
      i = next;
    }
    return root;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    // The smaller index (earlier in raster order) stays the root.
    if (ra < rb) parent[rb] = ra;
    else if (rb < ra) parent[ra] = rb;
  };

  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!mask[i]) continue;
      parent[i] = i;
      if (x > 0 && mask[i - 1]) union(i, i - 1);
      if (y > 0) {
        const up = i - width;
        if (mask[up]) union(i, up);
        if (connectivity === 8) {
          if (x > 0 && mask[up - 1]) union(i, up - 1);
          if (x < width - 1 && mask[up + 1]) union(i, up + 1);
        }
      }
    }
  }

  const labels = new Int32Array(width * height);
  const idOfRoot = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) {
    if ((parent[i] as number) < 0) continue;
    const root = find(i);
    let id = idOfRoot.get(root);
    if (id === undefined) {
      id = idOfRoot.size + 1;
      idOfRoot.set(root, id);
    }
    labels[i] = id;
  }
  return { labels, count: idOfRoot.size };
}
