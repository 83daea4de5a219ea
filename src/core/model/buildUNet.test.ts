import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors';
import { buildUNet } from './buildUNet';
import { namedWeights } from './namedWeights';
import { FAST_UNET, PAPER_UNET } from './unetConfig';

/** Parameter and conv counts of the same presets built by PyTorch (scripts/make_unet_fixtures.py). */
const pytorch = JSON.parse(readFileSync(new URL('./fixtures/presets.json', import.meta.url), 'utf8')) as {
  paper: { trainableParams: number; convLayers: number; outputSizePx: number };
  fast: { trainableParams: number; convLayers: number };
};

const isConv = (layer: tf.layers.Layer) => ['Conv2D', 'Conv2DTranspose'].includes(layer.getClassName());
const trainableCount = (model: tf.LayersModel) => model.trainableWeights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);

describe('buildUNet', () => {
  it('builds the paper preset: 23 convs, 572 -> 388, the PyTorch parameter count, He-normal init', () => {
    const model = buildUNet(PAPER_UNET);
    expect(model.layers.filter(isConv)).toHaveLength(23);
    expect(pytorch.paper.convLayers).toBe(23);
    expect(model.inputs[0]!.shape).toEqual([null, 572, 572, 1]);
    expect(model.outputs[0]!.shape).toEqual([null, 388, 388, 2]);
    expect(pytorch.paper.outputSizePx).toBe(388);
    expect(trainableCount(model)).toBe(pytorch.paper.trainableParams); // 31,030,658

    // The paper's N(0, sqrt(2/N)), N = incoming nodes: 3*3*C_in for 3x3 convs, C_in for the 2x2 stride-2 up-convs.
    const weights = namedWeights(model);
    for (const [name, incomingNodes] of [['enc0_conv2.kernel', 9 * 64], ['enc3_conv1.kernel', 9 * 256], ['dec0_upconv.kernel', 128]] as const) {
      const { std, mean } = tf.tidy(() => {
        const m = tf.moments(weights.get(name)!.read());
        return { std: Math.sqrt(m.variance.dataSync()[0]!), mean: m.mean.dataSync()[0]! };
      });
      const expected = Math.sqrt(2 / incomingNodes);
      expect(Math.abs(mean), name).toBeLessThan(0.05 * expected);
      expect(Math.abs(std / expected - 1), name).toBeLessThan(0.02);
    }
    model.dispose();
  });

  it('builds the fast preset with the PyTorch parameter count', () => {
    const model = buildUNet(FAST_UNET);
    expect(model.layers.filter(isConv)).toHaveLength(pytorch.fast.convLayers);
    expect(trainableCount(model)).toBe(pytorch.fast.trainableParams);
    expect(model.outputs[0]!.shape).toEqual([null, 256, 256, 2]);
    model.dispose();
  });

  it('is reproducible for a seed and differs across seeds', () => {
    const config = { ...PAPER_UNET, depth: 1, baseChannels: 2, tileSizePx: 28 };
    const [a, b, c] = [buildUNet(config, 3), buildUNet(config, 3), buildUNet(config, 4)];
    const first = (m: tf.LayersModel) => Array.from(namedWeights(m).get('enc0_conv1.kernel')!.read().dataSync());
    expect(first(a)).toEqual(first(b));
    expect(first(a)).not.toEqual(first(c));
    [a, b, c].forEach((m) => m.dispose());
  });

  it('draws a new dropout mask at every training step (a seeded tfjs dropout layer repeats its mask)', () => {
    const model = buildUNet({ ...FAST_UNET, depth: 1, baseChannels: 4, tileSizePx: 16, dropoutRate: 0.5, batchNorm: false }, 1);
    const dropout = model.getLayer('bottom_dropout');
    const ones = tf.ones([1, 8, 8, 8]);
    const [a, b] = [0, 1].map(() => (dropout.apply(ones, { training: true }) as tf.Tensor).dataSync().join(','));
    expect(a).not.toBe(b);
    ones.dispose();
    model.dispose();
  });

  it('rejects settings it cannot honour, with clear messages', () => {
    expect(() => buildUNet({ ...PAPER_UNET, tileSizePx: 570 })).toThrow(/556 or 572 px/);
    expect(() => buildUNet({ ...PAPER_UNET, batchNorm: true })).toThrow(/only with "same" padding/);
    expect(() => buildUNet({ ...PAPER_UNET, numClasses: 1 })).toThrow(/classes must be from 2/);
    expect(() => buildUNet({ ...PAPER_UNET, depth: 0 })).toThrow(StudioError);
    expect(() => buildUNet({ ...PAPER_UNET, dropoutRate: 1 })).toThrow(/Dropout rate/);
  });
});
