import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relativeError } from '../../testUtils/compareArrays';
import { useWasmBackend } from '../../testUtils/wasmBackend';
import { BATCH_NORM_TRAINING_GRAD, batchNormInTraining } from './batchNormInTraining';
import { batchNormalization } from './batchNormalizationLayer';

/** Value and gradients (x, scale, offset) of a weighted sum of batch norm: tfjs's op-by-op chain or ours. */
function valueAndGradients(ours: boolean, x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, weights: tf.Tensor): Float32Array[] {
  return tf.tidy(() => {
    const f = (input: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor) => {
      if (ours) {
        const { normed, mean, variance } = batchNormInTraining(input, scale as tf.Tensor1D, offset as tf.Tensor1D, 1e-5);
        tf.dispose([mean, variance]);
        return tf.sum(tf.mul(normed, weights));
      }
      const axes = input.shape.slice(0, -1).map((_, i) => i);
      const { mean, variance } = tf.moments(input, axes);
      return tf.sum(tf.mul(tf.batchNorm(input, mean, variance, offset as tf.Tensor1D, scale as tf.Tensor1D, 1e-5), weights));
    };
    const { value, grads } = tf.valueAndGrads(f)([x, gamma, beta]);
    return [value, ...grads].map((g) => g.dataSync() as Float32Array);
  });
}

const shapes = [[2, 7, 5, 3], [1, 16, 16, 16], [3, 4, 9, 1], [1, 33, 17, 64], [5, 10]];

describe('batchNormInTraining', () => {
  beforeAll(useWasmBackend);
  afterAll(async () => void (await tf.setBackend('cpu')));

  it.each(shapes)('gives the values and gradients of tfjs\'s chain on the cpu backend, on wasm (our kernel) and cpu (ordinary ops): %j', async (...shape) => {
    expect(tf.getKernel(BATCH_NORM_TRAINING_GRAD, 'wasm')).toBeDefined();
    const channels = shape[shape.length - 1] as number;
    const x = tf.add(tf.mul(tf.randomNormal(shape, 0, 2, 'float32', 1), tf.linspace(0.5, 3, channels)), 0.7);
    const gamma = tf.linspace(-1.5, 2, channels) as tf.Tensor1D;
    const beta = tf.linspace(0.3, -0.2, channels) as tf.Tensor1D;
    const weights = tf.randomUniform(shape, -1, 1, 'float32', 2);
    await tf.setBackend('cpu');
    const reference = valueAndGradients(false, x, gamma, beta, weights); // tfjs's chain on the cpu backend
    for (const backend of ['wasm', 'cpu']) {
      await tf.setBackend(backend);
      const ours = valueAndGradients(true, x, gamma, beta, weights);
      const errors = ours.map((o, i) => relativeError(o, reference[i]!));
      console.info(`[parity] batch-norm gradient, ours on ${backend} vs tfjs's on cpu, ${JSON.stringify(shape)}: value ${errors[0]!.toExponential(2)}, dx ${errors[1]!.toExponential(2)}, dScale ${errors[2]!.toExponential(2)}, dOffset ${errors[3]!.toExponential(2)}`);
      for (const e of errors) expect(e).toBeLessThan(2e-5);
      expect(ours[1]!.some((v) => v !== 0)).toBe(true);
    }
    await tf.setBackend('wasm');
    tf.dispose([x, gamma, beta, weights]);
  });

  // (On WebGPU a kernel of ours takes them: scripts/webgpuKernelParity.ts. A JS one on wasm was slower than tf.moments.)
  it.each([[2, 7, 5, 3], [1, 40, 33, 16], [4, 1]])('takes the batch\'s moments as float64 does, on wasm and cpu (tf.moments): %j', async (...shape) => {
    const channels = shape[shape.length - 1] as number;
    // A large offset, as activations may have: a float32 sum of squares about zero would lose the variance.
    const data = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => 300 + (i % channels) + Math.sin(i * 0.37) * (1 + (i % channels)));
    const count = data.length / channels;
    const mean = new Float64Array(channels);
    data.forEach((v, i) => { mean[i % channels]! += v / count; });
    const variance = new Float64Array(channels);
    data.forEach((v, i) => { variance[i % channels]! += (v - mean[i % channels]!) ** 2 / count; });
    for (const backend of ['wasm', 'cpu']) {
      await tf.setBackend(backend);
      const x = tf.tensor(data, shape);
      const { normed, mean: m, variance: v } = batchNormInTraining(x, tf.ones([channels]), tf.zeros([channels]), 1e-3);
      const [meanError, varianceError] = [relativeError(m.dataSync(), mean), relativeError(v.dataSync(), variance)];
      console.info(`[parity] batch moments on ${backend} vs float64, ${JSON.stringify(shape)}: mean ${meanError.toExponential(2)}, variance ${varianceError.toExponential(2)}`);
      // float32 sums over ~2e4 values: ~1e-6 (wasm's mean of [1,40,33,16] measured 1.1e-6).
      expect(meanError).toBeLessThan(1e-5);
      expect(varianceError).toBeLessThan(1e-5);
      tf.dispose([x, normed, m, v]);
    }
    await tf.setBackend('wasm');
  });

  it('leaks nothing on wasm', () => {
    const x = tf.randomNormal([1, 12, 12, 8]);
    const gamma = tf.ones([8]) as tf.Tensor1D;
    const beta = tf.zeros([8]) as tf.Tensor1D;
    const step = () => tf.dispose(valueAndGradients(true, x, gamma, beta, x) as unknown as tf.Tensor[]);
    step();
    const before = tf.memory();
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    tf.dispose([x, gamma, beta]);
  });
});

describe('batchNormalization layer', () => {
  beforeAll(useWasmBackend);

  it('trains as tfjs\'s layer (the same output and moving mean; the moving variance from the unbiased batch variance, as PyTorch) and leaks nothing; inference and the saved config are tfjs\'s', () => {
    const args = { axis: -1, epsilon: 1e-5, momentum: 0.9, betaInitializer: 'randomNormal', gammaInitializer: 'randomNormal' } as const;
    const ours = batchNormalization({ ...args, name: 'bn_ours' });
    const theirs = tf.layers.batchNormalization({ ...args, name: 'bn_theirs' });
    const x = tf.randomNormal([2, 6, 5, 4], 1, 3, 'float32', 3);
    ours.build(x.shape);
    theirs.build(x.shape);
    theirs.setWeights(ours.getWeights());
    const sameOutput = (training: boolean) => {
      const a = ours.apply(x, { training }) as tf.Tensor;
      const b = theirs.apply(x, { training }) as tf.Tensor;
      expect(relativeError(a.dataSync(), b.dataSync())).toBeLessThan(1e-6);
      tf.dispose([a, b]);
    };
    sameOutput(true);
    sameOutput(true);
    const names = ours.weights.map((w) => w.originalName.split('/').pop());
    ours.getWeights().forEach((w, i) => {
      if (names[i] !== 'moving_variance') expect(relativeError(w.dataSync(), theirs.getWeights()[i]!.dataSync()), names[i]).toBeLessThan(1e-6);
    });
    // Two training passes over x from the initial 1: v = m (m + (1 - m) u) + (1 - m) u, u the unbiased variance (float64).
    const values = x.dataSync();
    const n = values.length / 4;
    const expected = [0, 1, 2, 3].map((c) => {
      const channel = Array.from({ length: n }, (_, i) => values[i * 4 + c]!);
      const mean = channel.reduce((a, b) => a + b, 0) / n;
      const u = channel.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
      return 0.9 * (0.9 + 0.1 * u) + 0.1 * u;
    });
    const movingVariance = ours.getWeights()[names.indexOf('moving_variance')]!.dataSync();
    expect(relativeError(movingVariance, expected)).toBeLessThan(1e-6);
    theirs.setWeights(ours.getWeights());
    sameOutput(false); // inference from the same statistics: tfjs's own path
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const { grads, value } = tf.variableGrads(() => tf.sum(ours.apply(x, { training: true }) as tf.Tensor) as tf.Scalar);
      tf.dispose([value, ...Object.values(grads)]);
    }
    expect(tf.memory().numTensors).toBe(before); // no tensor left behind by a training call or its gradient
    expect(ours.getClassName()).toBe('BatchNormalization');
    expect({ ...ours.getConfig(), name: '' }).toEqual({ ...theirs.getConfig(), name: '' });
    x.dispose();
  });
});
