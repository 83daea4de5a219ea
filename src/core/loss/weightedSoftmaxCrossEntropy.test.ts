import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { weightedSoftmaxCrossEntropy } from './weightedSoftmaxCrossEntropy';

describe('weightedSoftmaxCrossEntropy', () => {
  // One image, 1x3 pixels, 2 classes; hand-computed with log-sum-exp.
  const logits = tf.tensor4d([[[[2, 0], [0, 1], [3, 3]]]]);
  const labels = tf.tensor3d([[[0, 0, 1]]], undefined, 'int32');
  const ce = [Math.log(1 + Math.exp(-2)), Math.log(1 + Math.exp(1)), Math.log(2)];

  it('is sum(w * -log p_label) over the number of labelled pixels', () => {
    const weights = tf.tensor3d([[[1, 10, 0]]]);
    const loss = weightedSoftmaxCrossEntropy(logits, labels, weights).dataSync()[0]!;
    expect(loss).toBeCloseTo((1 * ce[0]! + 10 * ce[1]!) / 2, 6);
  });

  it('ignores unlabelled pixels whatever their label, and is 0 when nothing is labelled', () => {
    const weights = tf.tensor3d([[[1, 0, 0]]]);
    const otherLabels = tf.tensor3d([[[0, 1, 0]]], undefined, 'int32');
    const a = weightedSoftmaxCrossEntropy(logits, labels, weights).dataSync()[0]!;
    const b = weightedSoftmaxCrossEntropy(logits, otherLabels, weights).dataSync()[0]!;
    expect(a).toBeCloseTo(b, 7);
    expect(weightedSoftmaxCrossEntropy(logits, labels, tf.zeros([1, 1, 3]) as tf.Tensor3D).dataSync()[0]).toBe(0);
  });

  it('gives zero gradient to the logits of unlabelled pixels', () => {
    const weights = tf.tensor3d([[[1, 0, 2]]]);
    const grad = tf.grad((l: tf.Tensor) => weightedSoftmaxCrossEntropy(l as tf.Tensor4D, labels, weights))(logits);
    const g = grad.dataSync();
    expect([Math.abs(g[2]!), Math.abs(g[3]!)]).toEqual([0, 0]);
    expect(Math.abs(g[0]!)).toBeGreaterThan(0);
  });

  it('leaks no tensors', () => {
    const before = tf.memory().numTensors;
    const loss = weightedSoftmaxCrossEntropy(logits, labels, tf.ones([1, 1, 3]) as tf.Tensor3D);
    loss.dispose();
    expect(tf.memory().numTensors).toBe(before + 1); // the tf.ones argument above, not the loss's intermediates
  });

  it('rejects labels or weights of another size with a clear message', () => {
    expect(() => weightedSoftmaxCrossEntropy(logits, tf.zeros([1, 1, 2], 'int32') as tf.Tensor3D, tf.ones([1, 1, 3]) as tf.Tensor3D))
      .toThrow(/labels \(1x1x2\) do not match the network output \(1x1x3\)/);
  });
});
