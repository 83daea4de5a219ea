/**
 * How a patch conv's input gradient splits a product too tall for tfjs's WebGPU matmul (a workgroup per 32
 * rows in Y, at most 65535): whole when it fits, else per image, else per image row. The split products'
 * values are checked on WebGPU against the cpu backend in webgpuTrainingKernels.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { filterGradientTiling } from './webgpuFilterGradient';
import { rowBatches } from './convGradientsByMatmul';

describe('rowBatches', () => {
  it('keeps a product of up to 65535 x 32 rows whole', () => {
    expect(rowBatches(2, 256, 256)).toBe(1);
    expect(rowBatches(1, 65535, 32)).toBe(1);
  });
  it('splits per image past it (a batch of 32 tiles of 256 px), per image row when one image is past it', () => {
    expect(rowBatches(32, 256, 256)).toBe(32);
    expect(rowBatches(1, 65535, 33)).toBe(65535);
    expect(rowBatches(2, 1500, 1500)).toBe(3000);
  });
});

describe('filterGradientTiling', () => {
  it('fills a large GPU with split sums and keeps every split a multiple of the step', () => {
    // The paper net's first 3x3 layer: 576 rows (3 x 3 x 64), 64 columns, 570 x 570 positions.
    const tiling = filterGradientTiling(576, 64, 570 * 570);
    expect(tiling).toMatchObject({ threadsN: 16, threadsM: 16, tileM: 64, tileN: 64 });
    expect(tiling.chunk % 16).toBe(0);
    expect(tiling.splits * 9).toBeGreaterThanOrEqual(1000); // 9 tiles x splits workgroups
    expect((tiling.splits - 1) * tiling.chunk).toBeLessThan(570 * 570);
    expect(tiling.splits * tiling.chunk).toBeGreaterThanOrEqual(570 * 570);
  });
  it('keeps at least 4 threads along the output channels, and one split for a short sum', () => {
    const tiling = filterGradientTiling(9, 2, 100);
    expect(tiling.threadsN).toBe(4);
    expect(tiling.splits).toBe(1);
    expect(tiling.chunk).toBeGreaterThanOrEqual(100);
  });
});
