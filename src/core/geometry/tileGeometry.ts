import { InvalidTileSizeError, invalidConfig } from '../errors';

/**
 * Tile geometry of a U-Net: which input sizes work and what they produce.
 *
 * A "valid" (unpadded) U-Net loses 2 px per 3x3 conv, and every 2x2 max-pool
 * needs an even size; a "same" U-Net keeps sizes but needs the input divisible
 * by 2^depth. Sizes are per side of a square tile, in pixels.
 */
export type ConvPadding = 'valid' | 'same';

export interface GeometrySpec {
  /** Number of 2x2 max-pool steps (the paper: 4). */
  readonly depth: number;
  readonly padding: ConvPadding;
}

/** Pixels a [3x3 valid conv] x2 block removes from a side length (2 per conv). */
const VALID_BLOCK_LOSS_PX = 4;

/** Output size for an input size, or null when some pool would see an odd size or a size vanishes. */
export function tryOutputSizePx(inputSizePx: number, spec: GeometrySpec): number | null {
  assertSpec(spec);
  if (!Number.isInteger(inputSizePx) || inputSizePx < 1) return null;
  if (spec.padding === 'same') {
    return inputSizePx % 2 ** spec.depth === 0 ? inputSizePx : null;
  }
  let size = inputSizePx;
  for (let level = 0; level < spec.depth; level++) {
    size -= VALID_BLOCK_LOSS_PX;
    if (size < 2 || size % 2 !== 0) return null;
    size /= 2;
  }
  size -= VALID_BLOCK_LOSS_PX; // bottom block
  if (size < 1) return null;
  for (let level = 0; level < spec.depth; level++) {
    size = size * 2 - VALID_BLOCK_LOSS_PX;
  }
  return size >= 1 ? size : null;
}

export function isValidInputSizePx(inputSizePx: number, spec: GeometrySpec): boolean {
  return tryOutputSizePx(inputSizePx, spec) !== null;
}

/** Output size for an input size; throws an error naming the nearest valid sizes. */
export function outputSizePx(inputSizePx: number, spec: GeometrySpec): number {
  const out = tryOutputSizePx(inputSizePx, spec);
  if (out !== null) return out;
  const nearest = nearestValidInputSizesPx(inputSizePx, spec);
  throw new InvalidTileSizeError(
    `A ${inputSizePx} px tile does not fit a ${spec.padding} U-Net of depth ${spec.depth}` +
      ` (every 2x2 max-pool needs an even size). Nearest valid sizes: ${nearest.join(' or ')} px.`,
    nearest,
  );
}

/** Context lost on each side of a tile: (input - output) / 2. 0 for "same"; 92 px for the paper's net. */
export function borderPx(spec: GeometrySpec): number {
  assertSpec(spec);
  if (spec.padding === 'same') return 0;
  const input = smallestValidInputSizePx(spec);
  return (input - outputSizePx(input, spec)) / 2;
}

/** Every valid input size in [minPx, maxPx], ascending. */
export function validInputSizesPx(spec: GeometrySpec, minPx: number, maxPx: number): number[] {
  const sizes: number[] = [];
  const step = 2 ** spec.depth; // valid sizes form an arithmetic progression with this step
  const first = smallestValidInputAtLeast(Math.max(1, Math.ceil(minPx)), spec);
  for (let size = first; size <= maxPx; size += step) sizes.push(size);
  return sizes;
}

/** The smallest valid input whose output is at least `outputPx` wide. */
export function smallestInputForOutputPx(outputPx: number, spec: GeometrySpec): number {
  if (!Number.isFinite(outputPx) || outputPx < 1) {
    throw invalidConfig(`The wanted output size must be at least 1 px (got ${outputPx}).`);
  }
  return smallestValidInputAtLeast(Math.ceil(outputPx) + 2 * borderPx(spec), spec);
}

function smallestValidInputSizePx(spec: GeometrySpec): number {
  return smallestValidInputAtLeast(1, spec);
}

function smallestValidInputAtLeast(minPx: number, spec: GeometrySpec): number {
  // The first valid size lies within a few hundred pixels for any sane depth; the cap only stops runaway loops.
  for (let size = minPx; size < minPx + 2 ** (spec.depth + 4) + 4096; size++) {
    if (isValidInputSizePx(size, spec)) return size;
  }
  throw invalidConfig(`No valid tile size found for depth ${spec.depth}.`);
}

function nearestValidInputSizesPx(inputSizePx: number, spec: GeometrySpec): number[] {
  const above = smallestValidInputAtLeast(Math.max(1, Math.ceil(inputSizePx)), spec);
  const below = above - 2 ** spec.depth;
  return isValidInputSizePx(below, spec) ? [below, above] : [above];
}

function assertSpec(spec: GeometrySpec): void {
  if (!Number.isInteger(spec.depth) || spec.depth < 1 || spec.depth > 8) {
    throw invalidConfig(`U-Net depth must be a whole number from 1 to 8 (got ${spec.depth}).`);
  }
}
