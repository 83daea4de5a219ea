import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { kernelCalls } from './convGradientsByMatmul';

/**
 * tfjs-backend-webgpu 4.22 transposes a matrix with a shared-memory program that dispatches one
 * workgroup per 16 x 16 block, in X and Y. WebGPU allows 65535 workgroups a dimension, and tfjs
 * folds only flat dispatches into that limit, so a matrix of more than 1,048,560 rows (or
 * columns) throws "Dispatch size exceeds WebGPU limits in Y or Z dimension": on an H200, a
 * fast-preset training step on a batch of 32 tiles of 256 px (2M positions) did. Ours hands such a
 * matrix to tfjs's general program as one [1, rows, columns] batch, whose flat dispatch tfjs folds.
 */
const BLOCK = 16;
const MAX_WORKGROUPS_PER_DIMENSION = 65535;

export function transposeWithinDispatchLimits(original: KernelFunc, args: Parameters<KernelFunc>[0]): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs as { x: TensorInfo };
  const { perm } = attrs as unknown as { perm: number[] };
  const tooLarge = x.shape.length === 2 && perm[0] === 1 && Math.ceil(Math.max(...x.shape) / BLOCK) > MAX_WORKGROUPS_PER_DIMENSION;
  if (!tooLarge) return original(args) as TensorInfo;
  const [rows, columns] = x.shape as [number, number];
  const calls = kernelCalls('webgpu', backend as KernelBackend, 'a large Transpose');
  // Reshape outputs share their input's data and count a reference: each is released once.
  const batched = calls.run('Reshape', { x }, { shape: [1, rows, columns] });
  try {
    const transposed = original({ inputs: { x: batched }, backend, attrs: { perm: [0, 2, 1] } }) as TensorInfo;
    try {
      return calls.run('Reshape', { x: transposed }, { shape: [columns, rows] });
    } finally {
      calls.release(transposed);
    }
  } finally {
    calls.release(batched);
  }
}
