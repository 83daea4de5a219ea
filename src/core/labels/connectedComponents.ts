export type Connectivity = 4 | 8;

export interface Components {
  /** width*height: 0 off the mask, 1..count on it, numbered in raster order of each component's first pixel. */
  readonly labels: Int32Array;
  readonly count: number;
}

/**
 * Connected components of a mask (two-pass union-find). Numbering follows the
 * raster order of each component's first pixel, as skimage.measure.label does.
 * Memory: the labels array only (4 bytes a pixel); the union-find lives in it.
 */
export function connectedComponents(mask: ArrayLike<number | boolean>, width: number, height: number, connectivity: Connectivity = 4): Components {
  const cells = new Int32Array(width * height);
  for (let i = 0; i < cells.length; i++) if (mask[i]) cells[i] = 1;
  return labelComponentsInPlace(cells, width, height, connectivity);
}

/**
 * connectedComponents over `cells` (non-zero = on the mask), written into `cells` itself: a big
 * slice's second labelling needs no second array. While labelling, a pixel on the mask holds its
 * union-find parent's index + 1 (0 stays off the mask); the parent is never after the pixel in
 * raster order, so one raster pass turns parents into component numbers.
 */
export function labelComponentsInPlace(cells: Int32Array, width: number, height: number, connectivity: Connectivity = 4): Components {
  const parent = cells;
  const find = (i: number): number => {
    let root = i;
    while ((parent[root] as number) - 1 !== root) root = (parent[root] as number) - 1;
    while ((parent[i] as number) - 1 !== root) {
      const next = (parent[i] as number) - 1;
      parent[i] = root + 1;
      i = next;
    }
    return root;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    // The smaller index (earlier in raster order) stays the root.
    if (ra < rb) parent[rb] = ra + 1;
    else if (rb < ra) parent[ra] = rb + 1;
  };

  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!parent[i]) continue;
      parent[i] = i + 1;
      // Neighbours before i in raster order already hold parents (non-zero exactly when on the mask).
      if (x > 0 && parent[i - 1]) union(i, i - 1);
      if (y > 0) {
        const up = i - width;
        if (parent[up]) union(i, up);
        if (connectivity === 8) {
          if (x > 0 && parent[up - 1]) union(i, up - 1);
          if (x < width - 1 && parent[up + 1]) union(i, up + 1);
        }
      }
    }
  }

  // Raster order: a root is its component's first pixel (a new number); any other pixel's parent
  // comes earlier and already holds the component's number.
  let count = 0;
  for (let i = 0; i < cells.length; i++) {
    const p = cells[i] as number;
    if (p === 0) continue;
    cells[i] = p - 1 === i ? ++count : (cells[p - 1] as number);
  }
  return { labels: cells, count };
}
