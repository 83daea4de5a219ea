import * as tf from '@tensorflow/tfjs';
import { StudioError } from '../errors';

/**
 * The paper's energy, E = -sum_x w(x) log p_{l(x)}(x), divided by the number of
 * labelled pixels (those with w > 0; 1 if there are none).
 *
 * Why that normalisation: dividing by the labelled count (not all pixels) keeps
 * the loss scale, and so a good learning rate, the same whether the user painted
 * a few strokes or full masks; dividing by the count (not by sum(w)) keeps the
 * weight map's absolute emphasis, so a border pixel with w = 10 pulls ten times
 * as hard as an interior pixel with w = 1, as in the paper.
 *
 * Pixels with w = 0 ("unlabelled") contribute nothing, whatever their label.
 *
 * @param logits  [B, H, W, K] raw network outputs
 * @param labels  [B, H, W] int32 class indices in [0, K)
 * @param weights [B, H, W] float32 per-pixel weights, >= 0
 */
export function weightedSoftmaxCrossEntropy(logits: tf.Tensor4D, labels: tf.Tensor3D, weights: tf.Tensor3D): tf.Scalar {
  const [b, h, w] = logits.shape;
  for (const [name, t] of [['labels', labels], ['weights', weights]] as const) {
    if (t.shape[0] !== b || t.shape[1] !== h || t.shape[2] !== w) {
      throw new StudioError('shape-mismatch', `The ${name} (${t.shape.join('x')}) do not match the network output (${b}x${h}x${w}).`);
    }
  }
  return tf.tidy(() => {
    const numClasses = logits.shape[3];
    const logProbs = tf.logSoftmax(logits, -1);
    const oneHot = tf.oneHot(labels.toInt(), numClasses) as tf.Tensor4D;
    const pixelLoss = tf.neg(tf.sum(tf.mul(oneHot, logProbs), -1)); // [B, H, W]
    const labelledCount = tf.maximum(tf.sum(tf.cast(tf.greater(weights, 0), 'float32')), 1);
    return tf.div(tf.sum(tf.mul(weights, pixelLoss)), labelledCount) as tf.Scalar;
  });
}
