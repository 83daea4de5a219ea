/**
 * `npx tsx bench/profile/filterGradientPaths.ts`: the wasm Conv2DBackpropFilter's three stride-1
 * paths (per tap, one convolution, shifted views) on the U-Net's 3x3 layer shapes (fast preset at
 * 256 px, paper net at 252 px), each timed with its forward conv (Node, wasm, 1 thread). The
 * numbers behind filterGradientPath's thresholds; not a benchmark row.
 */
import * as tf from '@tensorflow/tfjs';
import { forceFilterGradientPath } from '../../src/engine/backends/wasmConv2DBackpropFilter';
import { useWasmBackend } from '../../src/testUtils/wasmBackend';

await useWasmBackend();
const shapes: [number, number, number, 'same' | 'valid'][] = [
  [256, 16, 16, 'same'], [256, 32, 16, 'same'], [128, 32, 32, 'same'], [128, 64, 32, 'same'], [64, 64, 64, 'same'], [64, 128, 64, 'same'],
  [32, 128, 128, 'same'], [32, 256, 128, 'same'], [16, 256, 256, 'same'],
  [250, 64, 64, 'valid'], [120, 128, 128, 'valid'], [56, 256, 256, 'valid'], [28, 512, 512, 'valid'],
];
for (const [size, inChannels, outChannels, pad] of shapes) {
  const x = tf.randomNormal([1, size, size, inChannels]) as tf.Tensor4D;
  const filter = tf.randomNormal([3, 3, inChannels, outChannels]) as tf.Tensor4D;
  const outPx = pad === 'same' ? size : size - 2;
  const dy = tf.randomNormal([1, outPx, outPx, outChannels]);
  const gradient = tf.grad((k: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, k as tf.Tensor4D, 1, pad), dy)));
  const row: string[] = [];
  for (const path of ['per-tap', 'convolution', 'shifted'] as const) {
    forceFilterGradientPath(path);
    const once = async () => {
      const g = gradient(filter);
      await g.data();
      g.dispose();
    };
    await once();
    const reps = size * size * inChannels * outChannels > 1e8 ? 2 : 4;
    const started = performance.now();
    for (let i = 0; i < reps; i++) await once();
    row.push(`${path} ${((performance.now() - started) / reps).toFixed(1)} ms`);
  }
  forceFilterGradientPath(null);
  console.log(`${size} px, ${inChannels} -> ${outChannels}, ${pad}: ${row.join(', ')}`);
  tf.dispose([x, filter, dy]);
}
