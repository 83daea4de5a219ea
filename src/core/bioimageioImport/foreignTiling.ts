import type { PredictionTiling } from '../predict/choosePredictionTile';
import type { ForeignModelSpec, SizeRule } from './foreignModelSpec';

/**
 * The largest tile side the studio feeds a third-party network by default: its memory per pixel is
 * unknown (unlike the studio's own nets, whose activations it counts), and 512 px is a common
 * training size; an image larger than a tile is predicted in several.
 */
export const FOREIGN_TILE_CAP_PX = 512;
/** The largest side searched for a tile the rules allow (a fixed-size model may need more). */
const SEARCH_LIMIT_PX = 4096;

/**
 * How the studio tiles an image for a third-party model, in the terms of predictTiled: square tiles
 * of a side both the y and x rules allow (min + n * step), the output offset as the network's border,
 * the rdf's halo as each tile's discarded margin, and for a net that keeps its size one alignment step
 * of blended overlap. Tiles start on multiples of the tile step (a net is shift-equivariant only on its
 * pooling grid, which the step is a multiple of), reduced to divide the halo. Returns null when no
 * square tile keeps any output.
 */
export function foreignPredictionTiling(spec: ForeignModelSpec, imageWidthPx: number, imageHeightPx: number, capPx = FOREIGN_TILE_CAP_PX): PredictionTiling | null {
  const { haloPx, offsetPx } = spec.output;
  const { y, x } = spec.input.sizes;
  const grid = gcd(y.stepPx, x.stepPx) || 16;
  const alignPx = haloPx > 0 ? gcd(grid, haloPx) : grid;
  const overlapPx = haloPx > 0 || offsetPx === 0 ? alignPx : 0;
  const keptPx = (side: number) => side + offsetPx - 2 * haloPx;
  const sides = squareSides(y, x).filter((side) => keptPx(side) >= alignPx + overlapPx);
  if (sides.length === 0) return null;
  const target = Math.max(imageWidthPx, imageHeightPx) + overlapPx;
  const covering = sides.find((side) => keptPx(side) >= target);
  const withinCap = sides.filter((side) => side <= capPx);
  const inputTilePx = covering !== undefined && covering <= capPx ? covering : withinCap.at(-1) ?? (sides[0] as number);
  return { inputTilePx, outputTilePx: inputTilePx + offsetPx, marginPx: haloPx, overlapPx, alignPx };
}

/** Sides s (ascending, up to the search limit) that both rules allow. */
export function squareSides(y: SizeRule, x: SizeRule): number[] {
  const allows = (rule: SizeRule, side: number) => (rule.stepPx === 0 ? side === rule.minPx : side >= rule.minPx && (side - rule.minPx) % rule.stepPx === 0);
  const sides: number[] = [];
  // y's sizes in turn (just its min when fixed), kept where x allows them too.
  for (let side = Math.max(y.minPx, 1); side <= SEARCH_LIMIT_PX; side += y.stepPx === 0 ? SEARCH_LIMIT_PX : y.stepPx) {
    if (allows(x, side)) sides.push(side);
  }
  return sides;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
