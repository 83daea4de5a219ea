/**
 * `npx tsx bench/profile/filterGradientPaths.ts`: the wasm Conv2DBackpropFilter's stride-1 paths
 * (a matmul per tap over a channel-major copy of x, a matmul per tap over strided slices) on the
 * U-Net's 3x3 layer shapes (fast preset at 256 px, paper net at 252 px), each kernel timed alone
 * beside the layer's input gradient and forward conv (Node, wasm, 1 thread). The numbers behind
 * filterGradientPath's choice; not a benchmark row.
 */
import * as tf from '@tensorflow/tfjs';
import type { FilterGradientPath } from '../../src/engine/backends/wasmConv2DBackpropFilter';
import { forceFilterGradientPath } from '../../src/engine/backends/wasmConv2DBackpropFilter';
import { useWasmBackend } from '../../src/testUtils/wasmBackend';

await useWasmBackend();
const shapes: [number, number, number, 'same' | 'valid'][] = [
  [256, 16, 16, 'same'], [256, 32, 16, 'same'], [128, 32, 32, 'same'], [128, 64, 32, 'same'], [64, 64, 64, 'same'], [64, 128, 64, 'same'],
  [32, 128, 128, 'same'], [32, 256, 128, 'same'], [16, 256, 256, 'same'],
  [250, 64, 64, 'valid'], [120, 128, 128, 'valid'], [56, 256, 256, 'valid'], [28, 512, 512, 'valid'],
];
const timeMs = async (reps: number, once: () => tf.Tensor) => {
  tf.dispose(once()); // warm-up
  const started = performance.now();
  for (let i = 0; i < reps; i++) {
    const out = once();
    await out.data();
    out.dispose();
  }
  return ((performance.now() - started) / reps).toFixed(1);
};
for (const [size, inChannels, outChannels, pad] of shapes) {
  const x = tf.randomNormal([1, size, size, inChannels]) as tf.Tensor4D;
  const filter = tf.randomNormal([3, 3, inChannels, outChannels]) as tf.Tensor4D;
  const outPx = pad === 'same' ? size : size - 2;
  const dy = tf.randomNormal([1, outPx, outPx, outChannels]);
  const reps = size * size * inChannels * outChannels > 1e8 ? 2 : 5;
  const attrs = { strides: [1, 1], pad, dataFormat: 'NHWC' };
  const row: string[] = [];
  for (const path of (process.env.PATHS?.split(',') ?? ['channel-major', 'per-tap']) as FilterGradientPath[]) {
    forceFilterGradientPath(path);
    row.push(`${path} ${await timeMs(reps, () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: filter.shape }) as tf.Tensor)} ms`);
  }
  forceFilterGradientPath(null);
  row.push(`input gradient ${await timeMs(reps, () => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, { ...attrs, inputShape: x.shape }) as tf.Tensor)} ms`);
  row.push(`forward ${await timeMs(reps, () => tf.conv2d(x, filter, 1, pad))} ms`);
  console.log(`${size} px, ${inChannels} -> ${outChannels}, ${pad}: ${row.join(', ')}`);
  tf.dispose([x, filter, dy]);
}
