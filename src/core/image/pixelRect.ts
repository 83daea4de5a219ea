/** A rectangle of image pixels: (x, y) is the top-left pixel. Image coordinates, never screen ones. */
export interface PixelRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The smallest rectangle holding every pixel index in `indices` (row-major, `width` wide); null when empty. */
export function boundsOfIndices(indices: ArrayLike<number>, width: number): PixelRect | null {
  if (indices.length === 0) return null;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k] as number;
    const x = i % width;
    const y = (i - x) / width;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}

/**
 * The bounds of `indices` within each tile of a `spanPx` grid that holds any of them (row-major, `width`
 * wide), in first-seen order. A long thin stroke across a big slice is a few small rectangles, where its
 * one bounding box would be most of the slice.
 */
export function boundsPerTile(indices: ArrayLike<number>, width: number, spanPx: number): PixelRect[] {
  const bounds = new Map<number, { minX: number; minY: number; maxX: number; maxY: number }>();
  const columns = Math.ceil(width / spanPx);
  // Edits come grouped (a stroke block by block, a fill row by row): the previous pixel's tile saves most lookups.
  let lastTile = -1;
  let b: { minX: number; minY: number; maxX: number; maxY: number } | undefined;
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k] as number;
    const x = i % width;
    const y = (i - x) / width;
    const tile = Math.floor(y / spanPx) * columns + Math.floor(x / spanPx);
    if (tile !== lastTile) {
      b = bounds.get(tile);
      lastTile = tile;
    }
    if (!b) bounds.set(tile, (b = { minX: x, minY: y, maxX: x, maxY: y }));
    else {
      if (x < b.minX) b.minX = x;
      if (x > b.maxX) b.maxX = x;
      if (y < b.minY) b.minY = y;
      if (y > b.maxY) b.maxY = y;
    }
  }
  return [...bounds.values()].map((b) => ({ x: b.minX, y: b.minY, width: b.maxX - b.minX + 1, height: b.maxY - b.minY + 1 }));
}

/** A tile's place in a grid of square tiles over an image. */
export interface TileCell {
  readonly column: number;
  readonly row: number;
}

/** The image pixels of tile (column, row) in a grid of `spanPx` tiles over a width x height image, clipped to it. */
export function tileRect(cell: TileCell, spanPx: number, width: number, height: number): PixelRect {
  const x = cell.column * spanPx;
  const y = cell.row * spanPx;
  return { x, y, width: Math.max(0, Math.min(spanPx, width - x)), height: Math.max(0, Math.min(spanPx, height - y)) };
}

/** The tiles of a `spanPx` grid that `rect` overlaps (clipped to the image; fractional edges widen it), row by row. */
export function tilesOverlapping(rect: PixelRect, spanPx: number, width: number, height: number): TileCell[] {
  const x0 = Math.max(0, Math.floor(rect.x));
  const y0 = Math.max(0, Math.floor(rect.y));
  const x1 = Math.min(width, Math.ceil(rect.x + rect.width));
  const y1 = Math.min(height, Math.ceil(rect.y + rect.height));
  if (x1 <= x0 || y1 <= y0) return [];
  const cells: TileCell[] = [];
  for (let row = Math.floor(y0 / spanPx); row <= Math.floor((y1 - 1) / spanPx); row++) {
    for (let column = Math.floor(x0 / spanPx); column <= Math.floor((x1 - 1) / spanPx); column++) cells.push({ column, row });
  }
  return cells;
}

/** The values of `rect` (row-major, a fresh array) out of a row-major array `width` wide. */
export function cropRect(values: Int32Array, width: number, rect: PixelRect): Int32Array {
  const out = new Int32Array(rect.width * rect.height);
  for (let y = 0; y < rect.height; y++) out.set(values.subarray((rect.y + y) * width + rect.x, (rect.y + y) * width + rect.x + rect.width), y * rect.width);
  return out;
}

/** Writes `values` (row-major, rect.width x rect.height) into `rect` of a row-major array `width` wide. */
export function pasteRect(target: Int32Array, width: number, rect: PixelRect, values: Int32Array): void {
  for (let y = 0; y < rect.height; y++) target.set(values.subarray(y * rect.width, (y + 1) * rect.width), (rect.y + y) * width + rect.x);
}
