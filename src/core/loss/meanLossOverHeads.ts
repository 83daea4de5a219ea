import * as tf from '@tensorflow/tfjs';
import { weightedSoftmaxCrossEntropy } from './weightedSoftmaxCrossEntropy';

/**
 * Deep supervision's loss (UNet++): the mean over heads of the weighted pixel-wise softmax
 * cross-entropy, every head scored against the same labels and weights. One head gives its own
 * loss, with no division, so a U-Net's loss is unchanged to the bit.
 */
export function meanLossOverHeads(headLogits: readonly tf.Tensor4D[], labels: tf.Tensor3D, weights: tf.Tensor3D): tf.Scalar {
  if (headLogits.length === 0) throw new Error('A network without heads has no loss.');
  if (headLogits.length === 1) return weightedSoftmaxCrossEntropy(headLogits[0] as tf.Tensor4D, labels, weights);
  return tf.tidy(() => tf.div(tf.addN(headLogits.map((logits) => weightedSoftmaxCrossEntropy(logits, labels, weights))), headLogits.length) as tf.Scalar);
}
