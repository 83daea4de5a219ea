import { outputSizePx, smallestInputForOutputPx, validInputSizesPx } from '../geometry/tileGeometry';
import type { UNetConfig } from '../model/unetConfig';

/** GPU limits that bound a prediction tile. */
export interface MemoryBudget {
  /** For all activations of one forward pass together. */
  readonly totalBytes: number;
  /** For the largest single tensor (WebGPU's maxStorageBufferBindingSize, often 128 MiB). */
  readonly maxTensorBytes: number;
}

export const DEFAULT_MEMORY_BUDGET: MemoryBudget = { totalBytes: 1024 * 2 ** 20, maxTensorBytes: 128 * 2 ** 20 };

/**
 * Float32 activation memory of one forward pass of a tile, walking the real layer sizes
 * (valid convs shrink by 2 px; the decoder's concatenation has twice the channels). The total
 * counts every activation as if all were alive at once: an upper bound, since tfjs frees
 * intermediates as it goes.
 */
export function estimateForwardBytes(config: UNetConfig, inputPx: number): { totalBytes: number; largestTensorBytes: number } {
  const shrink = config.padding === 'valid' ? 2 : 0;
  let total = 0;
  let largest = 0;
  const add = (side: number, channels: number) => {
    const bytes = side * side * channels * 4;
    total += bytes;
    largest = Math.max(largest, bytes);
  };
  const skips: number[] = [];
  let side = inputPx;
  for (let level = 0; level <= config.depth; level++) {
    const channels = config.baseChannels * 2 ** level;
    add(side - shrink, channels);
    add(side - 2 * shrink, channels);
    side -= 2 * shrink;
    if (level < config.depth) {
      skips.push(side);
      side /= 2;
      add(side, channels);
    }
  }
  for (let level = config.depth - 1; level >= 0; level--) {
    const channels = config.baseChannels * 2 ** level;
    side *= 2;
    add(side, channels); // up-conv
    add(side, 2 * channels); // concatenation with the cropped skip
    add(side - shrink, channels);
    add(side - 2 * shrink, channels);
    side -= 2 * shrink;
  }
  add(side, config.numClasses);
  return { totalBytes: total, largestTensorBytes: largest };
}

/**
 * The largest valid tile that fits the budget and is no larger than needed to cover the image in
 * one pass; at least the training tile (which is known to fit).
 */
export function choosePredictionTilePx(config: UNetConfig, imageWidthPx: number, imageHeightPx: number, budget: MemoryBudget = DEFAULT_MEMORY_BUDGET): number {
  const needed = smallestInputForOutputPx(Math.max(imageWidthPx, imageHeightPx), config);
  let best = config.tileSizePx;
  for (const size of validInputSizesPx(config, config.tileSizePx, needed)) {
    const estimate = estimateForwardBytes(config, size);
    if (estimate.totalBytes <= budget.totalBytes && estimate.largestTensorBytes <= budget.maxTensorBytes && outputSizePx(size, config) >= 1) best = size;
  }
  return best;
}
