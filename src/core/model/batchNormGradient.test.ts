import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from '../../testUtils/wasmBackend';
import { registerBatchNormGradient } from './batchNormGradient';

/** Gradients of a weighted sum of batch norm over per-channel batch moments (as the layers' training does). */
function gradients(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, weights: tf.Tensor4D): Float32Array[] {
  return tf.tidy(() => {
    const f = (input: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor) => {
      const { mean, variance } = tf.moments(input, [0, 1, 2]);
      return tf.sum(tf.mul(tf.batchNorm(input, mean, variance, offset, scale, 1e-5), weights));
    };
    return tf.grads(f)([x, gamma, beta]).map((g) => g.dataSync() as Float32Array);
  });
}

describe('registerBatchNormGradient', () => {
  beforeAll(useWasmBackend);
  afterAll(async () => void (await tf.setBackend('cpu')));

  it('gives the same gradients as tfjs\'s own, to the bit, on wasm and cpu', async () => {
    const x = tf.randomNormal([2, 7, 5, 3], 0, 2, 'float32', 1) as tf.Tensor4D;
    const gamma = tf.tensor1d([0.5, 1.5, -2]);
    const beta = tf.tensor1d([0.1, 0, -0.3]);
    const weights = tf.randomUniform([2, 7, 5, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
    const on = async (backend: string) => {
      await tf.setBackend(backend);
      return gradients(x, gamma, beta, weights).map((g) => Array.from(g));
    };
    const before = { wasm: await on('wasm'), cpu: await on('cpu') };
    registerBatchNormGradient();
    expect(await on('wasm')).toEqual(before.wasm);
    expect(await on('cpu')).toEqual(before.cpu);
    expect(before.wasm[0]!.some((v) => v !== 0)).toBe(true); // a gradient that says something
    tf.dispose([x, gamma, beta, weights]);
  });
});
