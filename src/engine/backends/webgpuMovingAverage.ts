import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { MOVING_AVERAGE_UPDATE } from '../../core/model/movingAverageUpdate';
import { runElementwise } from './webgpuElementwise';

/** A batch-norm moving statistic's update (core/model/movingAverageUpdate.ts) as one WebGPU program, not three. */
const spec = {
  key: 'movingAverage',
  inputNames: ['previous', 'batch'],
  uniformNames: ['decay', 'batchScale'],
  body: 'result[index] = previous[index] - (previous[index] - uniforms.batchScale * batch[index]) * uniforms.decay;',
};

function movingAverageUpdate({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo {
  const { previous, batch } = inputs as Record<'previous' | 'batch', TensorInfo>;
  const { decay, batchScale } = attrs as unknown as { decay: number; batchScale: number };
  return runElementwise(backend as tf.KernelBackend, spec, { previous, batch }, previous.shape, [decay, batchScale]);
}

/** Registers the kernel on WebGPU once. */
export function registerWebGpuMovingAverage(): void {
  if (!tf.getKernel(MOVING_AVERAGE_UPDATE, 'webgpu')) tf.registerKernel({ kernelName: MOVING_AVERAGE_UPDATE, backendName: 'webgpu', kernelFunc: movingAverageUpdate });
}
