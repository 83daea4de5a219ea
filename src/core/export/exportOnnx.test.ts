/**
 * The exported .onnx file against the tfjs model it came from, run by an independent runtime
 * (onnxruntime-web, wasm, in Node): same input, same probabilities within 1e-4, for both
 * paddings, with and without batch norm, at several input sizes (the file has symbolic sizes:
 * one export serves every tile), with trained-like weights.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../../testUtils/compareArrays';
import { nhwcToNchw, runOnnx, setTrainedLikeWeights, tfjsProbabilitiesNchw } from '../../testUtils/onnxRuntime';
import { outputSizePx } from '../geometry/tileGeometry';
import { mulberry32 } from '../random/mulberry32';
import { buildUNet } from '../model/buildUNet';
import { rebuildForTileSize } from '../model/rebuildForTileSize';
import type { UNetConfig } from '../model/unetConfig';
import { DEFAULT_ONNX_INPUT, exportOnnx } from './exportOnnx';

const TOLERANCE = 1e-4;

const base = { architecture: 'unet', baseChannels: 4, inputChannels: 1, numClasses: 2, dropoutRate: 0.2, batchNorm: false } as const;
const cases: { name: string; config: UNetConfig; sizesPx: number[]; batch: number }[] = [
  { name: 'valid, depth 2', config: { ...base, depth: 2, padding: 'valid', tileSizePx: 44 }, sizesPx: [44, 60, 92], batch: 1 },
  { name: 'valid, depth 3, 2 channels in, 3 classes, batch 2', config: { ...base, depth: 3, padding: 'valid', inputChannels: 2, numClasses: 3, tileSizePx: 92 }, sizesPx: [92, 108], batch: 2 },
  { name: 'valid, depth 4 (the paper\'s layout, 8 channels)', config: { ...base, depth: 4, baseChannels: 8, padding: 'valid', tileSizePx: 188 }, sizesPx: [188, 204], batch: 1 },
  { name: 'same, depth 2', config: { ...base, depth: 2, padding: 'same', tileSizePx: 32 }, sizesPx: [16, 32, 52], batch: 1 },
  { name: 'same + batch norm, depth 2', config: { ...base, depth: 2, padding: 'same', batchNorm: true, tileSizePx: 32 }, sizesPx: [16, 32, 52], batch: 1 },
  { name: 'same + batch norm, depth 3, 3 classes, batch 2', config: { ...base, depth: 3, padding: 'same', batchNorm: true, numClasses: 3, tileSizePx: 48 }, sizesPx: [24, 48], batch: 2 },
  { name: 'the fast preset\'s network (same + batch norm, depth 4, 16 channels)', config: { ...base, depth: 4, baseChannels: 16, padding: 'same', batchNorm: true, tileSizePx: 64 }, sizesPx: [64, 96], batch: 1 },
  // UNet++: with deep supervision the export is the mean of the heads' softmax, as the studio's "accurate" mode.
  { name: 'UNet++ with deep supervision, depth 2', config: { ...base, architecture: 'unetpp', depth: 2, padding: 'same', tileSizePx: 32, deepSupervision: true }, sizesPx: [16, 32], batch: 1 },
  { name: 'UNet++ with deep supervision + batch norm, depth 3, 3 classes', config: { ...base, architecture: 'unetpp', depth: 3, padding: 'same', batchNorm: true, numClasses: 3, tileSizePx: 32, deepSupervision: true }, sizesPx: [32, 48], batch: 2 },
  { name: 'UNet++ with one head, depth 3', config: { ...base, architecture: 'unetpp', depth: 3, padding: 'same', tileSizePx: 32, deepSupervision: false }, sizesPx: [32], batch: 1 },
];

const measured: string[] = [];
beforeAll(async () => void (await tf.setBackend('cpu')));
afterAll(() => console.info(`ONNX vs tfjs, max |probability difference|:\n${measured.join('\n')}`));

describe.each(cases)('exportOnnx: $name', ({ config, sizesPx, batch }) => {
  it('gives onnxruntime-web the probabilities of the tfjs model at every size, from one export', async () => {
    const model = buildUNet(config, 11);
    setTrainedLikeWeights(model, 5);
    const tensors = tf.memory().numTensors;
    const onnx = exportOnnx(model);
    expect(tf.memory().numTensors, 'tensors left behind by the export').toBe(tensors);
    const uniform = mulberry32(config.tileSizePx);
    for (const sizePx of sizesPx) {
      const sized = sizePx === config.tileSizePx ? model : rebuildForTileSize(model, config, sizePx).model;
      const c = config.inputChannels;
      const input = Float32Array.from({ length: batch * sizePx * sizePx * c }, () => uniform() * 1.2 - 0.1);
      const expected = tfjsProbabilitiesNchw(sized, input, batch, sizePx, c);
      const outPx = outputSizePx(sizePx, config);
      const actual = await runOnnx(onnx, DEFAULT_ONNX_INPUT, nhwcToNchw(input, batch, sizePx, sizePx, c), [batch, c, sizePx, sizePx]);
      expect(actual.dims).toEqual([batch, config.numClasses, outPx, outPx]);
      const difference = maxAbsDiff(actual.data, expected);
      measured.push(`  ${config.architecture === "unetpp" ? `UNet++${config.deepSupervision ? " (heads averaged)" : ""} ` : ""}${config.padding}${config.batchNorm ? '+bn' : ''} d${config.depth} ${sizePx}->${outPx} px, batch ${batch}: ${difference.toExponential(2)}`);
      expect(difference, `${sizePx} px`).toBeLessThan(TOLERANCE);
      // The comparison means something only if the probabilities are not all saturated at 0 or 1.
      expect(expected.filter((p) => p > 0.02 && p < 0.98).length / expected.length, `${sizePx} px: unsaturated share`).toBeGreaterThan(0.1);
      if (sized !== model) sized.dispose();
    }
    model.dispose();
  });
});

describe('exportOnnx: layers beyond the U-Net builder', () => {
  it('converts strided same convs with activations, nearest upsampling, Add and batch norm without scale / centre', async () => {
    const input = tf.input({ shape: [12, 12, 2], name: 'x' });
    const a = tf.layers.conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'down' }).apply(input) as tf.SymbolicTensor;
    const b = tf.layers.batchNormalization({ center: false, scale: false, name: 'bn' }).apply(a) as tf.SymbolicTensor;
    const c = tf.layers.upSampling2d({ size: [2, 2], name: 'up' }).apply(b) as tf.SymbolicTensor;
    const d = tf.layers.conv2d({ filters: 3, kernelSize: 1, activation: 'tanh', name: 'side' }).apply(input) as tf.SymbolicTensor;
    const e = tf.layers.add({ name: 'sum' }).apply([c, d]) as tf.SymbolicTensor;
    const f = tf.layers.conv2d({ filters: 2, kernelSize: 2, padding: 'same', activation: 'sigmoid', name: 'even_kernel' }).apply(e) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: f });
    setTrainedLikeWeights(model, 3);
    const uniform = mulberry32(2);
    const x = Float32Array.from({ length: 12 * 12 * 2 }, () => uniform());
    const expected = tfjsProbabilitiesNchw(model, x, 1, 12, 2);
    const actual = await runOnnx(exportOnnx(model), DEFAULT_ONNX_INPUT, nhwcToNchw(x, 1, 12, 12, 2), [1, 2, 12, 12]);
    const difference = maxAbsDiff(actual.data, expected);
    measured.push(`  other layers (strided conv, upsampling, add, bn without gamma/beta), 12 px: ${difference.toExponential(2)}`);
    expect(difference).toBeLessThan(TOLERANCE);
    model.dispose();
  });

  it('refuses a layer it cannot convert, naming the layer and its class', () => {
    const input = tf.input({ shape: [8, 8, 1] });
    const output = tf.layers.leakyReLU({ name: 'leaky' }).apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: output });
    expect(() => exportOnnx(model)).toThrow(/Cannot export layer leaky to ONNX: its class LeakyReLU has no ONNX conversion/);
    model.dispose();
  });
});
