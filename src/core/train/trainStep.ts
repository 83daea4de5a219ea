import type * as tf from '@tensorflow/tfjs';
import { meanLossOverHeads } from '../loss/meanLossOverHeads';
import { headLogits } from '../model/headOutputs';

/** One batch: images [B,H,W,C], and labels / per-pixel weights [B,h,w] for the network's output area. */
export interface TrainBatch {
  readonly images: tf.Tensor4D;
  readonly labels: tf.Tensor3D;
  readonly weights: tf.Tensor3D;
}

/**
 * One optimiser step on the weighted loss (its mean over the heads with deep supervision), with
 * dropout and batch norm in training mode (model.fit cannot take per-pixel weights). Returns the
 * loss before the step, as a tensor the caller reads asynchronously and disposes.
 */
export function trainStep(model: tf.LayersModel, optimizer: tf.Optimizer, batch: TrainBatch): tf.Scalar {
  const loss = optimizer.minimize(
    () => meanLossOverHeads(headLogits(model, batch.images, true), batch.labels, batch.weights),
    true,
    model.trainableWeights.map((w) => w.read() as tf.Variable),
  );
  if (loss === null) throw new Error('The optimiser returned no loss.');
  return loss;
}
