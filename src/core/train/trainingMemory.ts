import { validInputSizesPx } from '../geometry/tileGeometry';
import type { UNetConfig } from '../model/unetConfig';
import { countParameters } from '../model/countParameters';
import { estimateForwardBytes } from '../predict/choosePredictionTile';

/** tfjs's wasm heap is a 32-bit WebAssembly memory: 4 GiB at most, whatever the machine has. */
export const WASM_HEAP_LIMIT_BYTES = 4 * 2 ** 30;

/**
 * What a training step may plan to use of it: the rest is headroom for fragmentation and for what
 * earlier work left in the heap. Measured: the paper net at 556 px (4047 MiB alone) trained in a
 * fresh process but aborted in the bench after other rows had used the heap.
 */
export const WASM_TRAINING_BUDGET_BYTES = 3.5 * 2 ** 30;

export { countParameters } from '../model/countParameters';

/**
 * The wasm heap one training step needs, from its high-water marks measured in Node on the
 * paper's network (SGD momentum, batch 1): 1160 / 2276 / 3360 / 3752 / 4047 MiB at 252 / 412 /
 * 508 / 540 / 556 px tiles, and out of memory at 572. They fit 6.9 x the parameter bytes
 * (weights, their gradients, optimiser slots, packed kernel copies) plus 4.9 x the forward
 * activations per tile (tfjs keeps every activation and every activation gradient until the
 * step ends) within 3 %.
 * Batch norm keeps more activations than this counts, so for such nets it errs low: the guard
 * in the engine then lets a run start and the engine's out-of-memory message still applies.
 */
export function estimateWasmTrainingHeapBytes(config: UNetConfig, batchSize: number): number {
  const parameterBytes = 4 * countParameters(config);
  return 6.9 * parameterBytes + 4.9 * batchSize * estimateForwardBytes(config, config.tileSizePx).totalBytes;
}

/** The largest valid training tile whose estimated step fits the wasm training budget, or null if none does. */
export function largestWasmTrainingTilePx(config: UNetConfig, batchSize: number): number | null {
  let best: number | null = null;
  for (const size of validInputSizesPx(config, 1, config.tileSizePx)) {
    if (estimateWasmTrainingHeapBytes({ ...config, tileSizePx: size }, batchSize) <= WASM_TRAINING_BUDGET_BYTES) best = size;
  }
  return best;
}
