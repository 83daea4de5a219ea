import * as tf from '@tensorflow/tfjs';
import { activeBackendHasKernel } from '../backendKernel';

/**
 * The name of a kernel a backend may register for the gradient of batch norm over a batch's own
 * moments (inputs x, dy, mean, variance, scale; attr varianceEpsilon; outputs dx, dScale, dOffset).
 * The engine registers one on wasm (engine/backends/wasmBatchNormTrainingGrad.ts); elsewhere the
 * same formula runs as ordinary ops.
 */
export const BATCH_NORM_TRAINING_GRAD = 'StudioBatchNormTrainingGrad';

/**
 * The name of a kernel a backend may register for a batch's per-channel moments over all axes but
 * the last (input x; outputs mean and biased variance, each [channels]), what tf.moments gives.
 * On WebGPU tf.moments is four dispatches with a transpose inside each reduction; the engine
 * registers four programs of its own there (engine/backends/webgpuBatchNormTraining.ts). On wasm
 * tf.moments stays: a JS kernel (two passes over the heap) measured slower than tfjs's C++.
 */
export const BATCH_MOMENTS = 'StudioBatchMoments';

export interface BatchNormInTraining {
  normed: tf.Tensor;
  /** The batch's per-channel mean and (biased) variance, for the moving averages; the caller disposes them. */
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/**
 * Batch norm over the batch's own per-channel moments (all axes but the last), as tfjs-layers'
 * training does (tf.moments then tf.batchNorm, the same values), with one gradient for the whole:
 * dx = scale / sigma * (dy - mean(dy) - xHat * mean(dy * xHat)), dScale = sum(dy * xHat),
 * dOffset = sum(dy), xHat = (x - mean) / sigma, sigma = sqrt(variance + epsilon) (PyTorch's
 * batch-norm backward). tfjs differentiates moments and batchNorm op by op instead: about twenty
 * passes over the activation per layer, a quarter of a fast-preset training step on wasm.
 */
function batchNormInTraining_(x: tf.Tensor, scale: tf.Tensor1D, offset: tf.Tensor1D, varianceEpsilon: number): BatchNormInTraining {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  let moments: { mean: tf.Tensor1D; variance: tf.Tensor1D } | null = null;
  const normed = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, gamma, beta, save] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    const { mean, variance } = batchMoments(input, axes);
    moments = { mean: tf.keep(mean), variance: tf.keep(variance) };
    save([input, mean, variance, gamma]);
    return {
      value: tf.batchNorm(input, mean, variance, beta, gamma, varianceEpsilon),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => batchNormTrainingGrad(dy, saved as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D], varianceEpsilon),
    };
  })(x, scale, offset);
  const { mean, variance } = moments as unknown as { mean: tf.Tensor1D; variance: tf.Tensor1D };
  return { normed, mean, variance };
}

function batchMoments(x: tf.Tensor, axes: number[]): { mean: tf.Tensor1D; variance: tf.Tensor1D } {
  if (activeBackendHasKernel(BATCH_MOMENTS)) {
    const [mean, variance] = tf.engine().runKernel(BATCH_MOMENTS, { x }, {}) as [tf.Tensor1D, tf.Tensor1D];
    return { mean, variance };
  }
  return tf.moments(x, axes) as { mean: tf.Tensor1D; variance: tf.Tensor1D };
}

/** An op (a named scope in tf.profile, like tfjs's own ops). */
export const batchNormInTraining = tf.op({ batchNormInTraining_ });

function batchNormTrainingGrad(dy: tf.Tensor, [x, mean, variance, scale]: [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D], varianceEpsilon: number): tf.Tensor[] {
  if (activeBackendHasKernel(BATCH_NORM_TRAINING_GRAD)) {
    return tf.engine().runKernel(BATCH_NORM_TRAINING_GRAD, { x, dy, mean, variance, scale }, { varianceEpsilon }) as tf.Tensor[];
  }
  return tf.tidy(() => {
    const axes = x.shape.slice(0, -1).map((_, i) => i);
    const count = x.size / (x.shape[x.rank - 1] as number);
    const invSigma = tf.rsqrt(tf.add(variance, tf.scalar(varianceEpsilon)));
    const xHat = tf.mul(tf.sub(x, mean), invSigma);
    const dOffset = tf.sum(dy, axes);
    const dScale = tf.sum(tf.mul(dy, xHat), axes);
    const centred = tf.sub(tf.sub(dy, tf.div(dOffset, count)), tf.mul(xHat, tf.div(dScale, count)));
    return [tf.mul(centred, tf.mul(scale, invSigma)), dScale, dOffset];
  });
}
