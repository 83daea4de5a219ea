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
