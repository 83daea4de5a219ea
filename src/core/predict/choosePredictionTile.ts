import { outputSizePx, smallestInputForOutputPx, validInputSizesPx } from '../geometry/tileGeometry';
import { describeNetwork } from '../model/describeNetwork';
import type { NodeOp } from '../model/networkDescription';
import type { UNetConfig } from '../model/unetConfig';

/** GPU limits that bound a prediction tile. */
export interface MemoryBudget {
  /** For all activations of one forward pass together. */
  readonly totalBytes: number;
  /** For the largest single tensor (WebGPU's maxStorageBufferBindingSize, often 128 MiB). */
  readonly maxTensorBytes: number;
}

export const DEFAULT_MEMORY_BUDGET: MemoryBudget = { totalBytes: 1024 * 2 ** 20, maxTensorBytes: 128 * 2 ** 20 };

/** Maps a forward pass writes and keeps (dropout and crops are views of their input in this count). */
const COUNTED_OPS: ReadonlySet<NodeOp> = new Set<NodeOp>(['conv3x3', 'maxPool', 'upconv', 'concat', 'head']);

/**
 * Float32 activation memory of one forward pass of a tile, walking the network description's real
 * map sizes (valid convs shrink by 2 px; a concatenation holds all its inputs' channels). The total
 * counts every activation as if all were alive at once: an upper bound, since tfjs frees
 * intermediates as it goes.
 */
export function estimateForwardBytes(config: UNetConfig, inputPx: number): { totalBytes: number; largestTensorBytes: number } {
  let total = 0;
  let largest = 0;
  for (const node of describeNetwork({ ...config, tileSizePx: inputPx }).nodes) {
    if (!COUNTED_OPS.has(node.op)) continue;
    const bytes = node.sidePx * node.sidePx * node.channels * 4;
    total += bytes;
    largest = Math.max(largest, bytes);
  }
  return { totalBytes: total, largestTensorBytes: largest };
}

/**
 * Context each same-padded tile discards on every side (a multiple of the pooling grid, about an
 * eighth of the tile): the outermost pixels of a same-padded U-Net see zero padding, not the image.
 * Valid-padded tiles lose their border inside the network, so they discard nothing more.
 */
export function predictionMarginPx(config: UNetConfig, tilePx: number): number {
  if (config.padding !== 'same') return 0;
  const alignPx = 2 ** config.depth;
  return Math.max(alignPx, Math.floor(tilePx / 8 / alignPx) * alignPx);
}

/** Output pixels a tile contributes once its margins are discarded. */
export function usefulOutputPx(config: UNetConfig, tilePx: number): number {
  return outputSizePx(tilePx, config) - 2 * predictionMarginPx(config, tilePx);
}

/**
 * The smallest valid tile that covers the image in one pass once its margins are discarded, or
 * else the largest that fits the budget; at least the training tile (which is known to fit).
 * Counting the margins matters: a 512 px tile with 64 px margins covers only 384 px, and
 * would take four passes over a 512 px image where one 640 px pass does.
 */
export function choosePredictionTilePx(config: UNetConfig, imageWidthPx: number, imageHeightPx: number, budget: MemoryBudget = DEFAULT_MEMORY_BUDGET): number {
  // Same-padded tiles overlap their neighbours by one grid step (blended seams): one tile must cover that too.
  const target = Math.max(imageWidthPx, imageHeightPx) + (config.padding === 'same' ? 2 ** config.depth : 0);
  // Margins take at most a quarter of a tile (plus the grid step), so twice the bare size is ample.
  const upperPx = 2 * smallestInputForOutputPx(target, config) + 4 * 2 ** config.depth;
  let best = config.tileSizePx;
  for (const size of validInputSizesPx(config, config.tileSizePx, upperPx)) {
    const estimate = estimateForwardBytes(config, size);
    if (estimate.totalBytes > budget.totalBytes || estimate.largestTensorBytes > budget.maxTensorBytes) break; // memory grows with the tile
    if (usefulOutputPx(config, size) < 1) continue;
    best = size;
    if (usefulOutputPx(config, size) >= target) break;
  }
  return best;
}

/** What predictTiled needs besides the model and image (test-time augmentation and callbacks aside). */
export interface PredictionTiling {
  readonly inputTilePx: number;
  readonly outputTilePx: number;
  readonly marginPx: number;
  readonly overlapPx: number;
  readonly alignPx: number;
}

/**
 * How the studio predicts a slice (EngineSession.predict): the tile choosePredictionTilePx picks,
 * its discarded margins, and for same-padded nets one grid step of overlap, blended. The accuracy
 * bench predicts with the same (bench/accuracy/run.ts).
 */
export function studioPredictionTiling(config: UNetConfig, imageWidthPx: number, imageHeightPx: number, budget: MemoryBudget = DEFAULT_MEMORY_BUDGET): PredictionTiling {
  const inputTilePx = choosePredictionTilePx(config, imageWidthPx, imageHeightPx, budget);
  const alignPx = 2 ** config.depth;
  return {
    inputTilePx,
    outputTilePx: outputSizePx(inputTilePx, config),
    marginPx: predictionMarginPx(config, inputTilePx),
    overlapPx: config.padding === 'same' ? alignPx : 0,
    alignPx,
  };
}
