/**
 * The wasm training-memory estimate: parameter counts equal tfjs's own count of the built
 * network, and the estimate separates the paper tiles that trained in Node on wasm (556 px:
 * heap 4047 MiB) from the one that ran out of the 4 GiB heap (572 px).
 */
import { describe, expect, it } from 'vitest';
import { buildUNet } from '../model/buildUNet';
import { FAST_UNET, PAPER_UNET } from '../model/unetConfig';
import { countParameters, estimateWasmTrainingHeapBytes, largestWasmTrainingTilePx, WASM_HEAP_LIMIT_BYTES } from './trainingMemory';

describe('training memory on wasm', () => {
  it.each([
    ['paper', { ...PAPER_UNET, depth: 2, baseChannels: 8, tileSizePx: 92 }],
    ['fast (batch norm)', { ...FAST_UNET, depth: 2, baseChannels: 4, tileSizePx: 32 }],
  ])('counts the parameters as tfjs does: %s', (_, config) => {
    const model = buildUNet(config, 1);
    expect(countParameters(config)).toBe(model.countParams());
    model.dispose();
  });

  it('the paper network: 31.0 M parameters, 556 px fits the heap, 572 px does not', () => {
    expect(countParameters(PAPER_UNET)).toBe(31_030_658);
    expect(estimateWasmTrainingHeapBytes({ ...PAPER_UNET, tileSizePx: 556 }, 1)).toBeLessThan(WASM_HEAP_LIMIT_BYTES);
    expect(estimateWasmTrainingHeapBytes(PAPER_UNET, 1)).toBeGreaterThan(WASM_HEAP_LIMIT_BYTES);
    expect(largestWasmTrainingTilePx(PAPER_UNET, 1)).toBe(556);
    expect(largestWasmTrainingTilePx(PAPER_UNET, 2)).toBeLessThan(556); // two tiles per step: smaller tiles
  });

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
