import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { BATCH_MOMENTS, BATCH_NORM_TRAINING_GRAD } from '../../core/model/batchNormInTraining';
import { MOVING_AVERAGE_UPDATE } from '../../core/model/movingAverageUpdate';
import { ADAM_UPDATE, MOMENTUM_UPDATE } from '../../core/train/fusedOptimizers';
import { isPatchConv, kernelCalls, patchFilterGradient, patchInputGradient } from './convGradientsByMatmul';
import { registerWebGpuBatchNormTraining } from './webgpuBatchNormTraining';
import { webgpuFilterGradient } from './webgpuFilterGradient';
import { registerWebGpuMovingAverage } from './webgpuMovingAverage';
import { registerWebGpuOptimizerUpdates } from './webgpuOptimizerUpdates';
import { replaceKernel } from './replaceKernel';
import { sumInGroups } from './webgpuAddN';
import { transposeWithinDispatchLimits } from './webgpuTranspose';

/**
 * Where tfjs-backend-webgpu 4.22 is naive for training:
 * - Conv2DBackpropFilter runs one GPU thread per filter weight, each looping over every position
 *   of the batch (a 3x3x16x16 filter at 256 px: 2304 threads of 65536 steps; a GPU wants
 *   hundreds of thousands of threads). Ours is one program of our own, a matrix product over x seen
 *   through the filter with the long sum split across workgroups (webgpuFilterGradient.ts), or for
 *   the up-conv (a filter as large as its stride) one transpose and one matmul.
 * - Conv2DBackpropInput (the up-conv's forward pass, and every conv's input gradient) takes tfjs's
 *   naive program unless WEBGPU_USE_NAIVE_CONV2D_TRANSPOSE is off; off, tfjs uses its matmul-based
 *   program. Ours switches it off, and computes the up-conv as one matmul and one transpose.
 * - AddN of more than 7 tensors is silently never computed (webgpuAddN.ts): ours sums in groups.
 * - Transpose of a matrix over ~1M rows throws past WebGPU's dispatch limit (webgpuTranspose.ts): ours batches it.
 * - Batch norm's moments and gradient and the optimisers' updates run as chains of small ops (14
 *   dispatches a batch-norm layer's gradient, 14 a weight for Adam): a fast-preset step is bound by
 *   dispatches, not arithmetic. Ours: 4 programs each for a layer's moments and gradient, without
 *   tfjs's transposes (webgpuBatchNormTraining.ts), 3 a weight for Adam and
 *   2 for momentum (webgpuOptimizerUpdates.ts); 1 a moving statistic, not 3 (webgpuMovingAverage.ts).
 * `useTfjsWebGpuKernels` puts tfjs's own back (the GPU bench times both; the parity script shows AddN's failure).
 */
let originals: { filter: KernelFunc | null; input: KernelFunc | null; addN: KernelFunc | null; transpose: KernelFunc | null } = { filter: null, input: null, addN: null, transpose: null };

function conv2DBackpropFilter(args: Parameters<KernelFunc>[0]): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  if (dataFormat !== 'NHWC') {
    if (!originals.filter) throw new Error('The original WebGPU Conv2DBackpropFilter is missing.');
    return originals.filter(args) as TensorInfo;
  }
  const calls = kernelCalls('webgpu', backend as tf.KernelBackend, 'Conv2DBackpropFilter');
  return isPatchConv(info) ? patchFilterGradient(calls, info, x, dy, filterShape) : webgpuFilterGradient(calls, backend as tf.KernelBackend, info, x, dy, filterShape);
}

function conv2DBackpropInput(args: Parameters<KernelFunc>[0]): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  if (dataFormat === 'NHWC' && isPatchConv(info)) return patchInputGradient(kernelCalls('webgpu', backend as tf.KernelBackend, 'Conv2DBackpropInput'), info, dy, filter);
  if (!originals.input) throw new Error('The original WebGPU Conv2DBackpropInput is missing.');
  return originals.input(args) as TensorInfo;
}

function transpose(args: Parameters<KernelFunc>[0]): TensorInfo {
  if (!originals.transpose) throw new Error('The original WebGPU Transpose is missing.');
  return transposeWithinDispatchLimits(originals.transpose, args);
}

function addN(args: Parameters<KernelFunc>[0]): TensorInfo {
  if (!originals.addN) throw new Error('The original WebGPU AddN is missing.');
  return sumInGroups(originals.addN, args);
}

/** Registers ours over tfjs's (once). Call after `tf.setBackend('webgpu')`. */
export function registerWebGpuTrainingKernels(): void {
  tf.env().set('WEBGPU_USE_NAIVE_CONV2D_TRANSPOSE', false);
  originals = {
    filter: replaceKernel('webgpu', 'Conv2DBackpropFilter', conv2DBackpropFilter) ?? originals.filter,
    input: replaceKernel('webgpu', 'Conv2DBackpropInput', conv2DBackpropInput) ?? originals.input,
    addN: replaceKernel('webgpu', 'AddN', addN) ?? originals.addN,
    transpose: replaceKernel('webgpu', 'Transpose', transpose) ?? originals.transpose,
  };
  registerWebGpuBatchNormTraining();
  registerWebGpuOptimizerUpdates();
  registerWebGpuMovingAverage();
}

/** tfjs's own WebGPU kernels and flag again: for timing ours against them. */
export function useTfjsWebGpuKernels(): void {
  tf.env().set('WEBGPU_USE_NAIVE_CONV2D_TRANSPOSE', true);
  if (originals.filter) replaceKernel('webgpu', 'Conv2DBackpropFilter', originals.filter);
  if (originals.input) replaceKernel('webgpu', 'Conv2DBackpropInput', originals.input);
  if (originals.addN) replaceKernel('webgpu', 'AddN', originals.addN);
  if (originals.transpose) replaceKernel('webgpu', 'Transpose', originals.transpose);
  // Without these kernels, batch norm's gradient and the optimisers run as tfjs's ops.
  for (const name of [BATCH_MOMENTS, BATCH_NORM_TRAINING_GRAD, MOVING_AVERAGE_UPDATE, ADAM_UPDATE, MOMENTUM_UPDATE]) {
    if (tf.getKernel(name, 'webgpu')) tf.unregisterKernel(name, 'webgpu');
  }
}
