import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relativeError } from '../../testUtils/compareArrays';
import { useWasmBackend } from '../../testUtils/wasmBackend';
import { MOVING_AVERAGE_UPDATE, movingAverageUpdate } from './movingAverageUpdate';

describe('a batch-norm moving statistic\'s update', () => {
  beforeAll(useWasmBackend);
  afterAll(async () => void (await tf.setBackend('cpu')));

  const previous = Float32Array.from({ length: 37 }, (_, i) => Math.cos(i * 0.7) * 3);
  const batch = Float32Array.from({ length: 37 }, (_, i) => Math.sin(i * 0.3) + 0.5);
  const decay = 0.1; // tfjs momentum 0.9, PyTorch's momentum 0.1
  // PyTorch's running_mean update, (1 - momentum) * running + momentum * batch, in float64.
  const expected = Float64Array.from(previous, (p, i) => (1 - decay) * p + decay * batch[i]!);

  it.each(['cpu', 'wasm'])('is (1 - decay) previous + decay batch on %s, as PyTorch\'s running statistics', async (backend) => {
    await tf.setBackend(backend);
    const updated = movingAverageUpdate(tf.tensor1d(previous), tf.tensor1d(batch), decay);
    expect(relativeError(updated.dataSync() as Float32Array, expected)).toBeLessThan(1e-6);
    updated.dispose();
  });

  it.each(['cpu', 'wasm'])('scales the batch first where asked on %s (PyTorch\'s unbiased variance: n / (n - 1))', async (backend) => {
    await tf.setBackend(backend);
    const scale = 50 / 49;
    const unbiased = Float64Array.from(previous, (p, i) => (1 - decay) * p + decay * scale * batch[i]!);
    const updated = movingAverageUpdate(tf.tensor1d(previous), tf.tensor1d(batch), decay, scale);
    expect(relativeError(updated.dataSync() as Float32Array, unbiased)).toBeLessThan(1e-6);
    expect(relativeError(updated.dataSync() as Float32Array, expected)).toBeGreaterThan(1e-3); // the scale is not ignored
    updated.dispose();
  });

  it('is one kernel of ours on wasm (engine/backends/wasmMovingAverage.ts), not tfjs\'s three ops', async () => {
    await tf.setBackend('wasm');
    const [p, b] = [tf.tensor1d(previous), tf.tensor1d(batch)];
    const profile = await tf.profile(() => movingAverageUpdate(p, b, decay));
    expect(profile.kernels.map((k) => k.name)).toEqual([MOVING_AVERAGE_UPDATE]);
    tf.dispose([p, b, profile.result as tf.Tensor]);
  });
});
