/**
 * The wasm training-memory estimate: parameter counts equal tfjs's own count of the built
 * network; the estimate follows the heap peaks measured in Node on wasm and puts the paper's
 * 572 px tile (out of memory there) over the 4 GiB heap; with headroom the studio offers 524 px
 * (which trained in the bench after other rows had used the heap; 556 px, 4047 MiB alone, did not).
 */
import { describe, expect, it } from 'vitest';
import { buildUNet } from '../model/buildUNet';
import { FAST_UNET, PAPER_UNET } from '../model/unetConfig';
import { countParameters, estimateWasmTrainingHeapBytes, largestWasmTrainingTilePx, WASM_HEAP_LIMIT_BYTES, WASM_TRAINING_BUDGET_BYTES } from './trainingMemory';

describe('training memory on wasm', () => {
  it.each([
    ['paper', { ...PAPER_UNET, depth: 2, baseChannels: 8, tileSizePx: 92 }],
    ['fast (batch norm)', { ...FAST_UNET, depth: 2, baseChannels: 4, tileSizePx: 32 }],
  ])('counts the parameters as tfjs does: %s', (_, config) => {
    const model = buildUNet(config, 1);
    expect(countParameters(config)).toBe(model.countParams());
    model.dispose();
  });

  it('the paper network: 31.0 M parameters, 572 px over the heap, 524 px the largest tile within the budget', () => {
    expect(countParameters(PAPER_UNET)).toBe(31_030_658);
    expect(estimateWasmTrainingHeapBytes(PAPER_UNET, 1)).toBeGreaterThan(WASM_HEAP_LIMIT_BYTES);
    expect(estimateWasmTrainingHeapBytes({ ...PAPER_UNET, tileSizePx: 524 }, 1)).toBeLessThan(WASM_TRAINING_BUDGET_BYTES);
    expect(largestWasmTrainingTilePx(PAPER_UNET, 1)).toBe(524);
    expect(largestWasmTrainingTilePx(PAPER_UNET, 2)).toBeLessThan(524); // two tiles per step: smaller tiles
  });

  // The fit's own points: this guards the constants against edits, not the heap against drift (re-measure with a probe when tfjs changes).
  it('the measured heap high-water marks are within 3 % of the estimate', () => {
    for (const [tilePx, mib] of [[252, 1160], [412, 2276], [508, 3360], [540, 3752], [556, 4047]] as const) {
      const estimate = estimateWasmTrainingHeapBytes({ ...PAPER_UNET, tileSizePx: tilePx }, 1) / 2 ** 20;
      expect(Math.abs(estimate - mib) / mib).toBeLessThan(0.03);
    }
  });

  it('the fast preset at 256 px in batches of 2 is far below the limit', () => {
    expect(estimateWasmTrainingHeapBytes(FAST_UNET, 2)).toBeLessThan(WASM_HEAP_LIMIT_BYTES / 4);
  });
});
