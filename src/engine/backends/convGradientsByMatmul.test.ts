/**
 * How a patch conv's input gradient splits a product too tall for tfjs's WebGPU matmul (a workgroup per 32
 * rows in Y, at most 65535): whole when it fits, else per image, else per image row. The split products'
 * values are checked on WebGPU against the cpu backend in webgpuTrainingKernels.test.ts.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { filterGradientTiling } from './webgpuFilterGradient';
import type { KernelCalls } from './convGradientsByMatmul';
import { allOutputsOrNone, rowBatches } from './convGradientsByMatmul';

describe('allOutputsOrNone', () => {
  const output = (id: number): TensorInfo => ({ dataId: { id }, shape: [1], dtype: 'float32' });
  const recordingCalls = (released: TensorInfo[]): KernelCalls => ({ run: () => { throw new Error('not used'); }, release: (t) => released.push(t) });

  it('returns every output in order and releases none', () => {
    const released: TensorInfo[] = [];
    const outputs = allOutputsOrNone(recordingCalls(released), [() => output(1), () => output(2), () => output(3)]);
    expect(outputs.map((t) => (t.dataId as { id: number }).id)).toEqual([1, 2, 3]);
    expect(released).toEqual([]);
  });
  it('hands each maker the outputs made before it', () => {
    const seen: number[][] = [];
    const ids = (made: readonly TensorInfo[]) => made.map((t) => (t.dataId as { id: number }).id);
    allOutputsOrNone(recordingCalls([]), [1, 2, 3].map((id) => (made: readonly TensorInfo[]) => { seen.push(ids(made)); return output(id); }));
    expect(seen).toEqual([[], [1], [1, 2]]);
  });
  it('releases the outputs already made when a later one throws (out of GPU memory), and passes the error on', () => {
    const released: TensorInfo[] = [];
    const first = output(1);
    const second = output(2);
    let laterRan = false;
    expect(() => allOutputsOrNone(recordingCalls(released), [() => first, () => second, () => { throw new Error('Out of memory'); }, () => { laterRan = true; return output(4); }]))
      .toThrow('Out of memory');
    expect(released).toEqual([first, second]);
    expect(laterRan).toBe(false);
  });
});

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
