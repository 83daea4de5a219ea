/**
 * The registered wasm Conv2DBackpropFilter against the cpu backend's, for the conv shapes a
 * U-Net trains (3x3 valid and same, 1x1, the 2x2 stride-2 up-conv's filter gradient), and a
 * whole U-Net's gradients on wasm against the PyTorch fixtures (unetParity.test.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relativeError } from '../../testUtils/compareArrays';
import { useWasmBackend } from '../../testUtils/wasmBackend';
import type { FilterGradientPath } from './wasmConv2DBackpropFilter';
import { filterGradientPath, forceFilterGradientPath } from './wasmConv2DBackpropFilter';

/** Runs fn on a backend with inputs rebuilt there, returning plain arrays. */
async function on(backend: string, fn: () => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend);
  const out = fn();
  const data = (await out.data()) as Float32Array;
  out.dispose();
  return data;
}

/** Runs `step` once to warm up, then five times: tensors, bytes and backend buffers must stay as they were. */
function expectNoLeak(step: () => void): void {
  step();
  const before = tf.memory();
  for (let i = 0; i < 5; i++) step();
  const after = tf.memory();
  expect(after.numTensors).toBe(before.numTensors);
  expect(after.numBytes).toBe(before.numBytes);
  expect(after.numDataBuffers).toBe(before.numDataBuffers);
}

describe('wasm Conv2DBackpropFilter and Conv2DBackpropInput', () => {
  beforeAll(useWasmBackend);
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  const cases = [
    { name: '3x3 valid', x: [2, 9, 8, 3], filter: [3, 3, 3, 5], strides: 1, pad: 'valid' as const },
    { name: '3x3 same', x: [1, 7, 10, 4], filter: [3, 3, 4, 2], strides: 1, pad: 'same' as const },
    { name: '1x1', x: [1, 6, 6, 4], filter: [1, 1, 4, 3], strides: 1, pad: 'valid' as const },
    // A filter as large as its stride (the up-conv): one rearrangement and one matmul, both gradients.
    { name: '2x2 stride 2', x: [2, 8, 6, 3], filter: [2, 2, 3, 4], strides: 2, pad: 'valid' as const },
    { name: '3x3 stride 3, 12x6 (patch path)', x: [1, 12, 6, 5], filter: [3, 3, 5, 2], strides: 3, pad: 'valid' as const },
    // Odd size: a row no tap sees, so not the patch path.
    { name: '2x2 stride 2, 9x7 (per-tap: rows left over)', x: [1, 9, 7, 3], filter: [2, 2, 3, 4], strides: 2, pad: 'valid' as const },
    { name: '3x3 stride 2 same (odd size)', x: [1, 9, 7, 2], filter: [3, 3, 2, 3], strides: 2, pad: 'same' as const },
    // Stride 1: a matmul per tap over views of a channel-major copy of x (batches as more rows).
    { name: '3x3 same, 70x66 (channel-major)', x: [1, 70, 66, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' as const },
    { name: '3x3 valid, batch 2, 50x48 (channel-major)', x: [2, 50, 48, 5], filter: [3, 3, 5, 6], strides: 1, pad: 'valid' as const },
    { name: '3x3 same, 182x182 (channel-major)', x: [1, 182, 182, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' as const },
    { name: '3x3 same, batch 2, 33x17, 19 -> 21 channels (channel-major)', x: [2, 33, 17, 19], filter: [3, 3, 19, 21], strides: 1, pad: 'same' as const },
    { name: '5x3 same, 12x15 (channel-major, uneven padding)', x: [1, 12, 15, 4], filter: [5, 3, 4, 3], strides: 1, pad: 'same' as const },
  ];

  it('takes one matmul for filters as large as their stride, a channel-major matmul per tap for stride 1, strided slices for the rest', () => {
    const info = (x: number[], filter: number[], strides: number, pad: 'same' | 'valid') =>
      tf.backend_util.computeConv2DInfo(x as [number, number, number, number], filter as [number, number, number, number], strides, 1, pad, undefined, false, 'channelsLast');
    expect(cases.map((c) => filterGradientPath(info(c.x, c.filter, c.strides, c.pad)))).toEqual(
      ['channel-major', 'channel-major', 'patch', 'patch', 'patch', 'per-tap', 'per-tap', 'channel-major', 'channel-major', 'channel-major', 'channel-major', 'channel-major']);
    expect(filterGradientPath(info([2, 256, 256, 16], [3, 3, 16, 16], 1, 'same'))).toBe('channel-major'); // the fast preset's first level
    expect(filterGradientPath(info([1, 120, 120, 128], [3, 3, 128, 128], 1, 'valid'))).toBe('channel-major'); // the paper's second level
    expect(filterGradientPath(info([1, 16, 16, 256], [3, 3, 256, 256], 1, 'same'))).toBe('channel-major'); // the fast preset's bottom
    expect(filterGradientPath(info([1, 256, 256, 16], [2, 2, 16, 32], 2, 'valid'))).toBe('patch'); // the fast preset's last up-conv (x and dy swapped)
  });

  /** The filter gradient of sum(conv(x, f)^2) for fixed smooth inputs of these shapes, as a function for `on`. */
  const filterGradient = ({ x, filter, strides, pad }: { x: number[]; filter: number[]; strides: number; pad: 'same' | 'valid' }) => {
    const xData = Float32Array.from({ length: x.reduce((a, b) => a * b) }, (_, i) => Math.sin(i * 0.37));
    const fData = Float32Array.from({ length: filter.reduce((a, b) => a * b) }, (_, i) => Math.cos(i * 0.11));
    return () => tf.tidy(() => {
      const xt = tf.tensor4d(xData, x as [number, number, number, number]);
      const ft = tf.tensor4d(fData, filter as [number, number, number, number]);
      return tf.grad((f: tf.Tensor) => tf.sum(tf.square(tf.conv2d(xt, f as tf.Tensor4D, strides, pad))))(ft);
    });
  };

  it.each(cases)('matches cpu: $name', async (c) => {
    const grad = filterGradient(c);
    const wasm = await on('wasm', grad);
    const cpu = await on('cpu', grad);
    await tf.setBackend('wasm');
    expect(relativeError(wasm, cpu)).toBeLessThan(1e-5);
  });

  const forced: { path: FilterGradientPath; name: string; x: number[]; filter: number[]; strides: number; pad: 'same' | 'valid' }[] =
    (['channel-major', 'per-tap'] as const).flatMap((path) => [
      ...cases.map((c) => ({ ...c, path })),
      { path, name: '3x3 same, batch 3, 5x4', x: [3, 5, 4, 6], filter: [3, 3, 6, 7], strides: 1, pad: 'same' as const },
      { path, name: '5x3 valid, batch 2, 11x9', x: [2, 11, 9, 2], filter: [5, 3, 2, 3], strides: 1, pad: 'valid' as const },
    ]);
  it.each(forced)('every path matches cpu where it applies: $path, $name', async (c) => {
    const grad = filterGradient(c);
    forceFilterGradientPath(c.path);
    try {
      const wasm = await on('wasm', grad);
      const cpu = await on('cpu', grad);
      await tf.setBackend('wasm');
      console.info(`[parity] Conv2DBackpropFilter ${c.path}, ${c.name}: ${relativeError(wasm, cpu).toExponential(2)}`);
      expect(relativeError(wasm, cpu)).toBeLessThan(1e-5);
    } finally {
      forceFilterGradientPath(null);
    }
  });

  it.each(cases)('input gradient matches cpu too (stride 1 by the forward-conv kernel, patches by one matmul, others by the original): $name', async ({ x, filter, strides, pad }) => {
    const xData = Float32Array.from({ length: x.reduce((a, b) => a * b) }, (_, i) => Math.sin(i * 0.37));
    const fData = Float32Array.from({ length: filter.reduce((a, b) => a * b) }, (_, i) => Math.cos(i * 0.11));
    const grad = () => tf.tidy(() => {
      const xt = tf.tensor4d(xData, x as [number, number, number, number]);
      const ft = tf.tensor4d(fData, filter as [number, number, number, number]);
      return tf.grad((input: tf.Tensor) => tf.sum(tf.square(tf.conv2d(input as tf.Tensor4D, ft, strides, pad))))(xt);
    });
    const wasm = await on('wasm', grad);
    const cpu = await on('cpu', grad);
    await tf.setBackend('wasm');
    expect(relativeError(wasm, cpu)).toBeLessThan(1e-5);
  });

  it.each([[1, 12, 12, 4], [1, 72, 72, 4]])('leaks no tensors and no backend memory (input %j: both paths)', async (...shape) => {
    const x = tf.randomNormal(shape);
    const f = tf.randomNormal([3, 3, 4, 8]);
    const step = () => tf.tidy(() => tf.grad((k: tf.Tensor) => tf.sum(tf.conv2d(x as tf.Tensor4D, k as tf.Tensor4D, 1, 'same')))(f)).dispose();
    expectNoLeak(step);
    tf.dispose([x, f]);
  });

  it('leaks no tensors and no backend memory on the patch path (a 2x2 stride-2 up-conv, both gradients)', () => {
    const x = tf.randomNormal([2, 8, 6, 8]);
    const f = tf.randomNormal([2, 2, 4, 8]); // conv2dTranspose: [kh, kw, out channels, in channels]
    const step = () => tf.tidy(() => {
      const grads = tf.grads((input: tf.Tensor, k: tf.Tensor) => tf.sum(tf.conv2dTranspose(input as tf.Tensor4D, k as tf.Tensor4D, [2, 16, 12, 4], 2, 'valid')))([x, f]);
      return tf.concat([grads[0]!.flatten(), grads[1]!.flatten()]);
    }).dispose();
    expectNoLeak(step);
    tf.dispose([x, f]);
  });
});
