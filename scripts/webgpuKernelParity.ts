/**
 * Our WebGPU training kernels (src/engine/backends/webgpuTrainingKernels.ts: convolution gradients, AddN,
 * Transpose, batch norm's gradient and moving averages, the optimisers' updates) against the cpu backend
 * (batch norm's gradient: against float64) and against tfjs's own WebGPU kernels, in Node on Dawn
 * (SwiftShader here, a GPU where one exists); then a whole U-Net's logits, loss and weight gradients on
 * WebGPU with ours against the PyTorch fixtures (as unetParity.test.ts does on cpu and wasm). Prints one
 * JSON line: { kernels: per case, the relative error of ours and of tfjs's own; pytorch: per fixture and
 * quantity, error and tolerance }.
 * Run by webgpuTrainingKernels.test.ts in a child process (Dawn needs LD_LIBRARY_PATH and
 * VK_ICD_FILENAMES set before the process starts).
 */
import * as tf from '@tensorflow/tfjs';
import { installDawn } from '../src/cli/dawn';
import { registerWebGpuTrainingKernels, useTfjsWebGpuKernels } from '../src/engine/backends/webgpuTrainingKernels';
import { relativeError } from '../src/testUtils/compareArrays';
import type { Arr, ParityFixture } from '../src/testUtils/pytorchParity';
import { fixtureTensors, gradientErrorsAsync, loadJsonFixture, loadReferenceWeights, parityTolerance } from '../src/testUtils/pytorchParity';
import { buildUNet } from '../src/core/model/buildUNet';
import type { UNetConfig } from '../src/core/model/unetConfig';
import { weightedSoftmaxCrossEntropy } from '../src/core/loss/weightedSoftmaxCrossEntropy';
import { BATCH_MOMENTS, BATCH_NORM_TRAINING_GRAD, batchNormInTraining } from '../src/core/model/batchNormInTraining';
import { MOVING_AVERAGE_UPDATE, movingAverageUpdate } from '../src/core/model/movingAverageUpdate';
import { ADAM_UPDATE, FusedAdamOptimizer, FusedMomentumOptimizer, MOMENTUM_UPDATE } from '../src/core/train/fusedOptimizers';

interface Case {
  name: string; x: [number, number, number, number]; filter: [number, number, number, number]; strides: number; pad: 'same' | 'valid'; transpose?: boolean;
  /** false: tfjs's own kernels are not run (what they do past the dispatch limit is not ours to check; ~30 s each on SwiftShader). */
  tfjsToo?: false;
}
const cases: Case[] = [
  { name: '3x3 same', x: [1, 7, 10, 4], filter: [3, 3, 4, 2], strides: 1, pad: 'same' },
  { name: '3x3 valid, batch 2', x: [2, 9, 8, 3], filter: [3, 3, 3, 5], strides: 1, pad: 'valid' },
  { name: '1x1', x: [1, 6, 6, 4], filter: [1, 1, 4, 3], strides: 1, pad: 'valid' },
  { name: '3x3 stride 2 same (odd size)', x: [1, 9, 7, 2], filter: [3, 3, 2, 3], strides: 2, pad: 'same' },
  { name: '3x3 same, 40x36, 16 channels', x: [1, 40, 36, 16], filter: [3, 3, 16, 8], strides: 1, pad: 'same' },
  // Our filter-gradient program's edges: rows and columns that do not fill a tile, the long sum split across workgroups.
  { name: '3x3 same, 67x45, 24 -> 40 channels', x: [1, 67, 45, 24], filter: [3, 3, 24, 40], strides: 1, pad: 'same' },
  { name: '3x3 valid, one input channel, batch 2', x: [2, 50, 41, 1], filter: [3, 3, 1, 16], strides: 1, pad: 'valid' },
  // The up-conv, as the U-Net builds it (conv2dTranspose: filter [kh, kw, out, in]).
  { name: '2x2 stride-2 up-conv, batch 2', x: [2, 6, 5, 8], filter: [2, 2, 4, 8], strides: 2, pad: 'valid', transpose: true },
  // Past tfjs's WebGPU matmul dispatch limit (~2.1M rows; convGradientsByMatmul.ts rowBatches): a product per image.
  // (One image of more than 2.1M positions fails in tfjs's own forward 1x1 conv, before any of ours runs.)
  { name: 'over 2.1M positions: 1x1, batch 2', x: [2, 1030, 1030, 2], filter: [1, 1, 2, 2], strides: 1, pad: 'valid', tfjsToo: false },
  { name: 'over 2.1M positions: 2x2 stride-2 up-conv, batch 3', x: [3, 840, 840, 1], filter: [2, 2, 1, 1], strides: 2, pad: 'valid', transpose: true, tfjsToo: false },
];

const values = (n: number, f: (i: number) => number) => Float32Array.from({ length: n }, (_, i) => f(i));

async function gradients(c: Case): Promise<Float32Array> {
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  const out = tf.tidy(() => {
    const x = tf.tensor4d(values(size(c.x), (i) => Math.sin(i * 0.37)), c.x);
    const f = tf.tensor4d(values(size(c.filter), (i) => Math.cos(i * 0.11)), c.filter);
    const forward = c.transpose
      ? (input: tf.Tensor, k: tf.Tensor) => tf.conv2dTranspose(input as tf.Tensor4D, k as tf.Tensor4D, [c.x[0], c.x[1] * c.strides, c.x[2] * c.strides, c.filter[2]], c.strides, c.pad)
      : (input: tf.Tensor, k: tf.Tensor) => tf.conv2d(input as tf.Tensor4D, k as tf.Tensor4D, c.strides, c.pad);
    const [dx, df] = tf.grads((input: tf.Tensor, k: tf.Tensor) => tf.sum(tf.square(forward(input, k))))([x, f]);
    // The forward output too: an up-conv's forward pass is Conv2DBackpropInput.
    return tf.concat([forward(x, f).flatten(), dx!.flatten(), df!.flatten()]);
  });
  const data = (await out.data()) as Float32Array;
  out.dispose();
  return data;
}

installDawn({});
await import('@tensorflow/tfjs-backend-webgpu');
const results: { name: string; ours: number; tfjs: number | null }[] = [];
/**
 * `run` on the cpu backend, on WebGPU with ours, and (unless tfjsToo is false: null) on WebGPU with tfjs's own;
 * each WebGPU result's relative error against the cpu's. tfjs's own may throw past WebGPU's dispatch limits:
 * counted as a relative error of 1.
 */
async function againstCpu(name: string, run: () => Promise<Float32Array>, tfjsToo = true): Promise<void> {
  await tf.setBackend('cpu');
  const cpu = await run();
  await tf.setBackend('webgpu');
  registerWebGpuTrainingKernels();
  const ours = await run();
  useTfjsWebGpuKernels();
  const theirs = tfjsToo ? await run().then((data) => relativeError(data, cpu), () => 1) : null;
  results.push({ name, ours: relativeError(ours, cpu), tfjs: theirs });
}
for (const c of cases) {
  await againstCpu(c.name, () => gradients(c), c.tfjsToo ?? true);
}
// AddN: tfjs's binds every input as a storage buffer; past the device's limit (8 a stage) its sum is never computed.
// Each run sums other values: a program that never runs leaves its output buffer as the pool handed it over,
// which may hold the previous run's (equal) result.
for (const count of [3, 7, 8, 9, 37]) {
  const sum = async (phase: number) => {
    // 4096 values a tensor: small ones tfjs may compute on the CPU (WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD).
    const out = tf.tidy(() => tf.addN(Array.from({ length: count }, (_, k) => tf.tensor1d(values(4096, (i) => Math.sin(i * 0.3 + k + phase))))));
    const data = (await out.data()) as Float32Array;
    out.dispose();
    return data;
  };
  await tf.setBackend('cpu');
  const [cpuOurs, cpuTheirs] = [await sum(0), await sum(1)];
  await tf.setBackend('webgpu');
  registerWebGpuTrainingKernels();
  const ours = await sum(0);
  useTfjsWebGpuKernels();
  const theirs = await sum(1);
  results.push({ name: `AddN of ${count}`, ours: relativeError(ours, cpuOurs), tfjs: relativeError(theirs, cpuTheirs) });
}
// Transpose of a matrix past WebGPU's 65535 workgroups a dimension (16 rows a workgroup): tfjs's own throws.
{
  const rows = 1_100_000;
  const transposed = async () => {
    const out = tf.tidy(() => tf.transpose(tf.tensor2d(values(rows * 3, (i) => Math.sin(i * 0.01)), [rows, 3])));
    const data = (await out.data()) as Float32Array;
    out.dispose();
    return data;
  };
  await againstCpu(`Transpose of ${rows} x 3`, transposed); // tfjs's own throws "Dispatch size exceeds WebGPU limits"
}

// Batch norm in training (core/model/batchNormInTraining.ts): ours (webgpuBatchNormTraining.ts) and tfjs's ops
// (tf.moments, the gradient's chain) on WebGPU against PyTorch's formulas in float64 (the float32 cpu backend's long
// sums are no reference past ~1e5 positions): the worst of the batch's mean and variance, dx, dScale and dOffset,
// each on its own scale.
// Shapes: small, a U-Net layer's, one position, and past 65536 positions (256 chunks).
/** [mean, variance, dx, dScale, dOffset] */
function batchNormFloat64(x: Float32Array, dy: Float32Array, gamma: Float32Array, epsilon: number): Float64Array[] {
  const channels = gamma.length;
  const count = x.length / channels;
  const mean = new Float64Array(channels);
  const variance = new Float64Array(channels);
  x.forEach((v, i) => { mean[i % channels]! += v / count; });
  x.forEach((v, i) => { variance[i % channels]! += (v - mean[i % channels]!) ** 2 / count; });
  const invSigma = variance.map((v) => 1 / Math.sqrt(v + epsilon));
  const xHat = Float64Array.from(x, (v, i) => (v - mean[i % channels]!) * invSigma[i % channels]!);
  const dOffset = new Float64Array(channels);
  const dScale = new Float64Array(channels);
  dy.forEach((g, i) => { dOffset[i % channels]! += g; dScale[i % channels]! += g * xHat[i]!; });
  const dx = Float64Array.from(dy, (g, i) => {
    const c = i % channels;
    return gamma[c]! * invSigma[c]! * (g - dOffset[c]! / count - xHat[i]! * dScale[c]! / count);
  });
  return [mean, variance, dx, dScale, dOffset];
}
for (const shape of [[2, 7, 5, 3], [1, 33, 17, 64], [1, 1, 1, 8], [2, 300, 300, 2]]) {
  const channels = shape[3]!;
  const size = shape.reduce((a, b) => a * b, 1);
  const ramp = (c: number) => c / Math.max(1, channels - 1);
  const xData = values(size, (i) => Math.sin(i * 0.37) * 2 * (0.5 + 2.5 * ramp(i % channels)) + 0.7);
  const gammaData = values(channels, (c) => -1.5 + 3.5 * ramp(c));
  const weightData = values(size, (i) => Math.cos(i * 0.73)); // dy: the gradient of sum(normed * weights)
  const reference = batchNormFloat64(xData, weightData, gammaData, 1e-3);
  const gradients = async () => {
    const grads = tf.tidy(() => {
      const weights = tf.tensor4d(weightData, shape as [number, number, number, number]);
      const f = (input: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor) => {
        const { normed, mean, variance } = batchNormInTraining(input, scale as tf.Tensor1D, offset as tf.Tensor1D, 1e-3);
        tf.dispose([mean, variance]);
        return tf.sum(tf.mul(normed, weights));
      };
      const x = tf.tensor4d(xData, shape as [number, number, number, number]);
      const { normed, mean, variance } = batchNormInTraining(x, tf.tensor1d(gammaData), tf.zeros([channels]), 1e-3);
      tf.dispose(normed);
      return [mean, variance, ...tf.grads(f)([x, tf.tensor1d(gammaData), tf.linspace(0.3, -0.2, channels)])];
    });
    const data = await Promise.all(grads.map(async (g) => (await g.data()) as Float32Array));
    tf.dispose(grads);
    return Math.max(...data.map((part, i) => relativeError(part, reference[i]!)));
  };
  await tf.setBackend('webgpu');
  registerWebGpuTrainingKernels();
  const ours = await gradients();
  useTfjsWebGpuKernels();
  const theirs = await gradients();
  results.push({ name: `batch norm, moments and gradient ${JSON.stringify(shape)}`, ours, tfjs: theirs });
}
// A batch-norm moving variance's update (core/model/movingAverageUpdate.ts, with a batch scale): ours (webgpuMovingAverage.ts) and
// tfjs's three ops on WebGPU against the ops on the cpu backend.
{
  const update = async () => {
    const out = tf.tidy(() => movingAverageUpdate(tf.tensor1d(values(300, (i) => Math.cos(i * 0.2))), tf.tensor1d(values(300, (i) => Math.sin(i * 0.3) * 3)), 0.01, 1.02));
    const data = (await out.data()) as Float32Array;
    out.dispose();
    return data;
  };
  await againstCpu('moving average update', update);
}
// The optimisers' updates (core/train/fusedOptimizers.ts): five steps of ours on WebGPU (webgpuOptimizerUpdates.ts)
// against the same on the cpu backend (tfjs's ops); each weight's total change is compared, weights and slots.
for (const kind of ['Adam', 'momentum'] as const) {
  const run = async () => {
    const optimizer = kind === 'Adam' ? new FusedAdamOptimizer(0.01, 0.9, 0.999, 1e-7) : new FusedMomentumOptimizer(0.01, 0.99);
    const weights = [7, 4100, 70000].map((n, k) => tf.variable(tf.tensor1d(values(n, (i) => Math.cos(i * 0.11 + k))), true, `parity_${kind}_${tf.getBackend()}_${k}`));
    for (let step = 0; step < 5; step++) {
      tf.tidy(() => optimizer.applyGradients(Object.fromEntries(weights.map((w, k) => [w.name, tf.tensor1d(values(w.size, (i) => Math.sin(i * 0.37 + 1.3 * step + k)))]))));
    }
    const state = (await optimizer.getWeights()).slice(1).map((n) => n.tensor);
    const out = tf.tidy(() => tf.concat([...weights.map((w, k) => tf.sub(w, tf.tensor1d(values(w.size, (i) => Math.cos(i * 0.11 + k))))), ...state.map((t) => t.flatten())]));
    const data = (await out.data()) as Float32Array;
    tf.dispose([out, ...weights]);
    optimizer.dispose();
    return data;
  };
  await againstCpu(`${kind} update, 5 steps`, run);
}

// A whole U-Net on WebGPU with our kernels against the float64 PyTorch reference (scripts/make_unet_fixtures.py).
await tf.setBackend('webgpu');
registerWebGpuTrainingKernels();
const pytorch: { fixture: string; quantity: string; error: number; tolerance: number }[] = [];
for (const name of ['unet-valid-d2c4', 'unet-same-bn-d2c4']) {
  const fixture = loadJsonFixture<ParityFixture<Arr> & { config: UNetConfig }>(name);
  const model = buildUNet(fixture.config, 7);
  loadReferenceWeights(model, fixture.weights);
  const { x, labels, pixelWeights } = fixtureTensors(fixture);
  const training = fixture.batchNormTraining;
  const logits = model.apply(x, { training }) as tf.Tensor4D;
  const { value, grads } = tf.variableGrads(() => weightedSoftmaxCrossEntropy(model.apply(x, { training }) as tf.Tensor4D, labels, pixelWeights));
  const add = (quantity: string, error: number) => pytorch.push({ fixture: name, quantity, error, tolerance: parityTolerance(fixture, quantity) });
  add('logits', relativeError((await logits.data()) as Float32Array, fixture.logits.data));
  add('loss', Math.abs((await value.data())[0]! - fixture.loss) / Math.abs(fixture.loss));
  for (const [key, error] of Object.entries(await gradientErrorsAsync(model, grads, fixture.gradients))) add(key, error);
  tf.dispose([x, labels, pixelWeights, logits, value, ...Object.values(grads)]);
  model.dispose();
}
// Which of our fused kernels the "ours" runs had (each falls back to tfjs's ops where it is missing).
const registered = [BATCH_MOMENTS, BATCH_NORM_TRAINING_GRAD, MOVING_AVERAGE_UPDATE, ADAM_UPDATE, MOMENTUM_UPDATE].filter((name) => tf.getKernel(name, 'webgpu'));
console.log(JSON.stringify({ kernels: results, pytorch, registered }));
