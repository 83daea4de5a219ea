import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../../testUtils/compareArrays';
import { buildUNet } from './buildUNet';
import { headLogits, headProbabilities } from './headOutputs';
import { FAST_UNET } from './unetConfig';

describe('head outputs', () => {
  it('a UNet++ with deep supervision: one logits tensor per head, probabilities the mean of their softmax ("accurate")', () => {
    const model = buildUNet({ ...FAST_UNET, architecture: 'unetpp', depth: 2, baseChannels: 2, tileSizePx: 16, deepSupervision: true }, 2);
    const x = tf.randomNormal([2, 16, 16, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    const logits = headLogits(model, x, false);
    expect(logits.map((l) => l.shape)).toEqual([[2, 16, 16, 2], [2, 16, 16, 2]]);
    const [a, b] = logits.map((l) => Array.from(tf.softmax(l, -1).dataSync()));
    const mean = a!.map((v, i) => (v + b![i]!) / 2);
    const probabilities = headProbabilities(model, x);
    expect(maxAbsDiff(probabilities.dataSync(), mean)).toBeLessThan(1e-6);
    tf.dispose([x, ...logits, probabilities]);
    model.dispose();
  });

  it('a U-Net: its one output as a list of one, probabilities its softmax', () => {
    const model = buildUNet({ ...FAST_UNET, depth: 1, baseChannels: 2, tileSizePx: 16 }, 2);
    const x = tf.randomNormal([1, 16, 16, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    const logits = headLogits(model, x, false);
    expect(logits).toHaveLength(1);
    const probabilities = headProbabilities(model, x);
    expect(Array.from(probabilities.dataSync())).toEqual(Array.from(tf.softmax(logits[0]!, -1).dataSync()));
    tf.dispose([x, ...logits, probabilities]);
    model.dispose();
  });
});
