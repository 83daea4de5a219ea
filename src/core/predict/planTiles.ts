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
}

/** Tiles in raster order. The last tile of a row or column is shifted back to end at the image edge. */
export function planTiles(spec: TilePlanSpec): Tile[] {
  const outputPx = spec.inputTilePx - 2 * spec.borderPx;
  if (outputPx < 1) throw invalidConfig(`The tile (${spec.inputTilePx} px) is smaller than its context (2 x ${spec.borderPx} px).`);
  if (spec.overlapPx < 0 || spec.overlapPx >= outputPx) {
    throw invalidConfig(`Tile overlap must be from 0 to ${outputPx - 1} px (got ${spec.overlapPx}).`);
  }
  if (spec.imageWidthPx < 1 || spec.imageHeightPx < 1) throw invalidConfig('The image is empty.');
  const xs = starts(spec.imageWidthPx, outputPx, outputPx - spec.overlapPx);
  const ys = starts(spec.imageHeightPx, outputPx, outputPx - spec.overlapPx);
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

function starts(lengthPx: number, outputPx: number, stridePx: number): number[] {
  if (lengthPx <= outputPx) return [0];
  const result: number[] = [];
  for (let s = 0; s + outputPx < lengthPx; s += stridePx) result.push(s);
  result.push(lengthPx - outputPx);
  return result;
}
