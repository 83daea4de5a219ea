import * as tf from '@tensorflow/tfjs';
import { activeBackendHasKernel } from '../backendKernel';

/**
 * The kernel name a backend may register for a batch-norm moving statistic's update (inputs
 * previous, batch; attrs decay, batchScale; output the new value). The engine registers one on WebGPU
 * (engine/backends/webgpuMovingAverage.ts), where tfjs's three ops a statistic are three dispatches.
 */
export const MOVING_AVERAGE_UPDATE = 'StudioMovingAverageUpdate';

/**
 * tfjs-layers' update of a moving mean or variance, previous - (previous - batchScale * batch) * decay, decay =
 * 1 - momentum; batchScale takes the batch variance to the unbiased one (n / (n - 1)) in the same pass.
 */
export function movingAverageUpdate(previous: tf.Tensor, batch: tf.Tensor, decay: number, batchScale = 1): tf.Tensor {
  if (activeBackendHasKernel(MOVING_AVERAGE_UPDATE)) {
    return tf.engine().runKernel(MOVING_AVERAGE_UPDATE, { previous, batch }, { decay, batchScale }) as tf.Tensor;
  }
  return tf.tidy(() => tf.sub(previous, tf.mul(tf.sub(previous, batchScale === 1 ? batch : tf.mul(batch, batchScale)), decay)));
}
