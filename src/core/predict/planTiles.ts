import { invalidConfig } from '../errors';

/**
 * Overlap-tile layout (the paper's Fig. 2): output tiles cover the image; each
 * needs an input window `borderPx` larger on every side, which may reach past
 * the image (that context is mirrored in). All coordinates are image pixels.
 */
export interface Tile {
  /** Top-left of the network's input window (negative where it reaches past the image). */
  readonly inputX: number;
  readonly inputY: number;
  /** The image area this tile's output covers (clipped to the image). */
  readonly outX: number;
  readonly outY: number;
  readonly outWidth: number;
  readonly outHeight: number;
}

export interface TilePlanSpec {
  readonly imageWidthPx: number;
  readonly imageHeightPx: number;
  /** Network input side (a valid tile size for the geometry). */
  readonly inputTilePx: number;
  /** Context lost per side: (input - output) / 2; 0 for same-padded networks. */
  readonly borderPx: number;
  /** Overlap between neighbouring output tiles (0 for valid networks, whose tiles agree exactly). */
  readonly overlapPx: number;
  /**
   * Tile starts are multiples of this: 2^depth. A U-Net is shift-equivariant only by multiples of
   * its pooling grid, so only aligned tiles agree with one pass over the whole image.
   */
  readonly alignPx: number;
}

/**
 * Tiles in raster order, starting at multiples of the aligned stride. The last tile of a row or
 * column may reach past the image (its context is mirrored in and its output clipped).
 */
export function planTiles(spec: TilePlanSpec): Tile[] {
  const outputPx = spec.inputTilePx - 2 * spec.borderPx;
  if (outputPx < 1) throw invalidConfig(`The tile (${spec.inputTilePx} px) is smaller than its context (2 x ${spec.borderPx} px).`);
  if (spec.overlapPx < 0 || spec.overlapPx >= outputPx) {
    throw invalidConfig(`Tile overlap must be from 0 to ${outputPx - 1} px (got ${spec.overlapPx}).`);
  }
  if (spec.imageWidthPx < 1 || spec.imageHeightPx < 1) throw invalidConfig('The image is empty.');
  if (!Number.isInteger(spec.alignPx) || spec.alignPx < 1) throw invalidConfig(`Tile alignment must be a whole number >= 1 (got ${spec.alignPx}).`);
  const stridePx = Math.max(spec.alignPx, Math.floor((outputPx - spec.overlapPx) / spec.alignPx) * spec.alignPx);
  if (stridePx > outputPx) {
    throw invalidConfig(`The tile output (${outputPx} px) is smaller than the network's pooling grid (${spec.alignPx} px): choose a larger tile.`);
  }
  const xs = starts(spec.imageWidthPx, stridePx);
  const ys = starts(spec.imageHeightPx, stridePx);
  const tiles: Tile[] = [];
  for (const outY of ys) {
    for (const outX of xs) {
      tiles.push({
        inputX: outX - spec.borderPx,
        inputY: outY - spec.borderPx,
        outX,
        outY,
        outWidth: Math.min(outputPx, spec.imageWidthPx - outX),
        outHeight: Math.min(outputPx, spec.imageHeightPx - outY),
      });
    }
  }
  return tiles;
}

function starts(lengthPx: number, stridePx: number): number[] {
  const result: number[] = [];
  for (let s = 0; s < lengthPx; s += stridePx) result.push(s);
  return result;
}
