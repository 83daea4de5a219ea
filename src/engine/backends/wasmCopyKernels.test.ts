/**
 * Our wasm Concat, SplitV and MaxPoolGrad against the cpu backend's, on the shapes a U-Net's skip
 * connections and pools take and on odd ones (runs under and over the copy loop's limit, leftover
 * rows of a pool, ties, NaN), and leak-free. (Overlapping or padded pools keep tfjs's wasm kernel,
 * which is not equal to cpu's where windows overlap: not ours to test.)
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../../testUtils/compareArrays';
import { useWasmBackend } from '../../testUtils/wasmBackend';

/** Runs fn on a backend, returning plain arrays of its outputs. */
async function on(backend: string, fn: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const out = fn();
  const outs = Array.isArray(out) ? out : [out];
  const data = await Promise.all(outs.map(async (t) => (await t.data()) as Float32Array));
  tf.dispose(outs);
  return data;
}

async function expectSameOnWasmAndCpu(what: string, fn: () => tf.Tensor | tf.Tensor[]): Promise<void> {
  const wasm = await on('wasm', fn);
  const cpu = await on('cpu', fn);
  await tf.setBackend('wasm');
  expect(wasm.length).toBe(cpu.length);
  const diff = Math.max(...wasm.map((w, i) => maxAbsDiff(w, cpu[i]!)));
  console.info(`[parity] ${what}: max |wasm - cpu| ${diff}`);
  expect(diff).toBe(0); // copies and a selection: exactly equal
}

const values = (shape: number[], seed: number) => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 0.37 + seed) * 3);

describe('wasm Concat, SplitV and MaxPoolGrad', () => {
  beforeAll(useWasmBackend);
  afterAll(async () => void (await tf.setBackend('cpu')));

  const concats: { shapes: number[][]; axis: number }[] = [
    { shapes: [[1, 8, 8, 16], [1, 8, 8, 16]], axis: -1 }, // a skip connection
    { shapes: [[2, 5, 7, 3], [2, 5, 7, 70], [2, 5, 7, 1]], axis: 3 }, // runs under and over the loop's limit
    { shapes: [[2, 3, 4], [2, 5, 4]], axis: 1 },
    { shapes: [[3, 2], [1, 2], [0, 2]], axis: 0 }, // an empty part
    { shapes: [[6], [9]], axis: 0 },
  ];
  it.each(concats)('Concat equals cpu: $shapes on axis $axis', async ({ shapes, axis }) => {
    await expectSameOnWasmAndCpu(`Concat ${JSON.stringify(shapes)} axis ${axis}`, () => tf.tidy(() => tf.concat(shapes.map((s, i) => tf.tensor(values(s, i), s)), axis)));
  });

  const splits: { shape: number[]; sizes: number[]; axis: number }[] = [
    { shape: [1, 8, 8, 32], sizes: [16, 16], axis: -1 },
    { shape: [2, 5, 7, 74], sizes: [3, 70, 1], axis: 3 },
    { shape: [2, 8, 4], sizes: [3, 0, 5], axis: 1 },
    { shape: [10, 3], sizes: [4, 6], axis: 0 },
  ];
  it.each(splits)('SplitV equals cpu: $shape into $sizes on axis $axis', async ({ shape, sizes, axis }) => {
    await expectSameOnWasmAndCpu(`SplitV ${JSON.stringify(shape)} ${JSON.stringify(sizes)} axis ${axis}`, () => tf.tidy(() => tf.split(tf.tensor(values(shape, 1), shape), sizes, axis)));
  });

  const pools: { name: string; x: number[]; size: number; stride: number; pad: 'valid' | 'same'; ties?: boolean }[] = [
    { name: '2x2 stride 2 (the U-Net)', x: [1, 16, 16, 16], size: 2, stride: 2, pad: 'valid' },
    { name: '2x2 stride 2, odd size (rows left over), batch 2', x: [2, 9, 7, 3], size: 2, stride: 2, pad: 'valid' },
    { name: '3x3 stride 3', x: [1, 9, 12, 2], size: 3, stride: 3, pad: 'valid' },
    { name: '2x2 stride 2 with ties and NaN', x: [1, 6, 6, 2], size: 2, stride: 2, pad: 'valid', ties: true },
  ];
  it.each(pools)('MaxPoolGrad equals cpu: $name', async ({ name, x, size, stride, pad, ties }) => {
    const data = values(x, 2);
    if (ties) data.forEach((v, i) => { data[i] = i % 7 === 0 ? Number.NaN : Math.round(v); });
    await expectSameOnWasmAndCpu(`MaxPoolGrad ${name}`, () => tf.tidy(() => {
      const input = tf.tensor4d(data, x as [number, number, number, number]);
      const weights = tf.tensor(values(tf.maxPool(input, size, stride, pad).shape, 3), tf.maxPool(input, size, stride, pad).shape);
      return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, size, stride, pad), weights)))(input);
    }));
  });

  it('leaks no tensors and no backend memory', () => {
    const x = tf.randomNormal([1, 8, 8, 4]);
    const step = () => tf.tidy(() => tf.grad((t: tf.Tensor) => {
      const joined = tf.concat([t, t], -1);
      return tf.sum(tf.maxPool(joined as tf.Tensor4D, 2, 2, 'valid'));
    })(x)).dispose();
    step();
    const before = tf.memory();
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    x.dispose();
  });
});
