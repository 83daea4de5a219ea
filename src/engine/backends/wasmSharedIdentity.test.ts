/**
 * The wasm Identity that shares data: clones and the tensors a gradient saves take no new heap,
 * values stay independent of later work, gradients still equal the cpu backend's, and the
 * shared buffer is freed exactly when its last tensor goes.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relativeError } from '../../testUtils/compareArrays';
import { useWasmBackend } from '../../testUtils/wasmBackend';

const backendDataIds = () => (tf.backend() as tf.KernelBackend).numDataIds();

describe('wasm shared Identity', () => {
  beforeAll(useWasmBackend);
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('clones without a new buffer and frees it with the last tensor', async () => {
    const x = tf.tensor1d([1, 2, 3]);
    const buffers = backendDataIds();
    const y = tf.clone(x);
    expect(backendDataIds()).toBe(buffers);
    x.dispose();
    expect(Array.from(await y.data())).toEqual([1, 2, 3]);
    expect(backendDataIds()).toBe(buffers); // y still holds the buffer
    y.dispose();
    expect(backendDataIds()).toBe(buffers - 1);
  });

  it('keeps the activations saved for a gradient without copying them', () => {
    const x = tf.randomNormal([1, 32, 32, 8]);
    const w = tf.variable(tf.randomNormal([3, 3, 8, 8], 0, 0.1));
    let buffersInForward = 0;
    const before = backendDataIds();
    const { value, grads } = tf.variableGrads(() => {
      const y = tf.relu(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'));
      buffersInForward = backendDataIds() - before;
      return tf.sum(y) as tf.Scalar;
    });
    // conv output and relu output; the copying Identity made 5 (each saved tensor cloned).
    expect(buffersInForward).toBe(2);
    tf.dispose([x, w, value, ...Object.values(grads)]);
  });

  it('a training step with saved tensors gives the cpu backend\'s gradients', async () => {
    const xData = Float32Array.from({ length: 2 * 10 * 10 * 3 }, (_, i) => Math.sin(i * 0.29));
    const wData = Float32Array.from({ length: 3 * 3 * 3 * 4 }, (_, i) => Math.cos(i * 0.13));
    const gradients = async (backend: string) => {
      await tf.setBackend(backend);
      const g = tf.tidy(() => {
        const x = tf.tensor4d(xData, [2, 10, 10, 3]);
        return tf.grad((w: tf.Tensor) => {
          const y = tf.relu(tf.conv2d(x, w as tf.Tensor4D, 1, 'valid'));
          return tf.sum(tf.mul(tf.maxPool(y, 2, 2, 'valid'), tf.sigmoid(tf.maxPool(y, 2, 2, 'valid'))));
        })(tf.tensor4d(wData, [3, 3, 3, 4]));
      });
      const data = (await g.data()) as Float32Array;
      g.dispose();
      return data;
    };
    const wasm = await gradients('wasm');
    const cpu = await gradients('cpu');
    await tf.setBackend('wasm');
    expect(relativeError(wasm, cpu)).toBeLessThan(1e-5);
  });
});
