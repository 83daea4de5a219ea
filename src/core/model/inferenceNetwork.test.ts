import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../../testUtils/compareArrays';
import { mulberry32 } from '../random/mulberry32';
import { buildUNet } from './buildUNet';
import { headProbabilities } from './headOutputs';
import { inferenceNetwork } from './inferenceNetwork';
import { pruneUNetPlusPlus } from './pruneUNetPlusPlus';
import type { UNetConfig } from './unetConfig';
import { FAST_UNET, PAPER_UNET } from './unetConfig';

/** Batch-norm statistics and scales far from their initial 1 / 0, so folding them has something to do. */
function randomiseBatchNorms(model: tf.LayersModel, seed: number): void {
  const random = mulberry32(seed);
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const n = layer.getWeights()[0]!.shape[0] as number;
    const values = (low: number, high: number) => tf.tensor1d(Array.from({ length: n }, () => low + random() * (high - low)));
    layer.setWeights([values(0.5, 1.5), values(-0.5, 0.5), values(-0.3, 0.3), values(0.2, 2)]);
  }
}

async function compare(config: UNetConfig, seed: number): Promise<number> {
  const model = buildUNet(config, seed);
  randomiseBatchNorms(model, seed);
  const x = tf.randomNormal([2, config.tileSizePx, config.tileSizePx, config.inputChannels], 0, 1, 'float32', seed) as tf.Tensor4D;
  const network = inferenceNetwork(model, config);
  expect(network).not.toBeNull();
  const before = tf.memory().numTensors;
  const ours = network!.probabilities(x);
  expect(tf.memory().numTensors).toBe(before + 1); // only the result is kept
  const reference = headProbabilities(model, x);
  expect(ours.shape).toEqual(reference.shape);
  const diff = maxAbsDiff(await ours.data(), await reference.data());
  network!.dispose();
  tf.dispose([x, ours, reference]);
  model.dispose();
  return diff;
}

describe('inferenceNetwork (batch norm folded, ReLU fused)', () => {
  it('predicts what the layers model predicts: same U-Net with batch norm, a valid one without, a deep-supervised UNet++', async () => {
    const same = await compare({ ...FAST_UNET, depth: 2, baseChannels: 4, tileSizePx: 32 }, 3);
    const valid = await compare({ ...PAPER_UNET, depth: 2, baseChannels: 4, tileSizePx: 60 }, 4);
    const unetpp = await compare({ ...FAST_UNET, architecture: 'unetpp', depth: 2, baseChannels: 4, tileSizePx: 32, deepSupervision: true }, 5);
    console.info(`[inference] folded vs layers model, max |difference| of the probabilities: same+BN ${same.toExponential(2)}, valid ${valid.toExponential(2)}, UNet++ DS ${unetpp.toExponential(2)}`);
    for (const diff of [same, valid, unetpp]) expect(diff).toBeLessThan(1e-5);
  });

  it('folds a pruned UNet++ too, and declines a model whose layers the config does not describe', async () => {
    const config: UNetConfig = { ...FAST_UNET, architecture: 'unetpp', depth: 2, baseChannels: 4, tileSizePx: 32, deepSupervision: true };
    const model = buildUNet(config, 6);
    randomiseBatchNorms(model, 6);
    const pruned = pruneUNetPlusPlus(model, config, 1);
    const x = tf.randomNormal([1, 32, 32, 1], 0, 1, 'float32', 2) as tf.Tensor4D;
    const network = inferenceNetwork(pruned.model, pruned.config);
    expect(network).not.toBeNull();
    const ours = network!.probabilities(x);
    const reference = headProbabilities(pruned.model, x);
    expect(maxAbsDiff(await ours.data(), await reference.data())).toBeLessThan(1e-5);
    expect(inferenceNetwork(model, { ...config, depth: 3 })).toBeNull();
    network!.dispose();
    tf.dispose([x, ours, reference]);
    if (pruned.model !== model) pruned.model.dispose();
    model.dispose();
  });
});
