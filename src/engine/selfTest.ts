import * as tf from '@tensorflow/tfjs';
import { borderPx, outputSizePx } from '../core/geometry/tileGeometry';
import { buildUNet } from '../core/model/buildUNet';
import type { UNetConfig } from '../core/model/unetConfig';
import { makeBlobSample } from '../core/synthetic/makeBlobSample';
import { trainStep } from '../core/train/trainStep';
import type { BackendName } from './protocol';
import { createOptimizer } from '../core/train/createOptimizer';

export interface ParityResult {
  readonly backend: BackendName;
  readonly relativeError: number;
  readonly maxAbsDiff: number;
  readonly outputShape: number[];
}

/**
 * One forward pass on the current backend and the same weights and input on the
 * cpu backend: the GPU kernels must give the cpu's answer up to float error.
 */
export async function forwardParityWithCpu(config: UNetConfig, seed: number): Promise<ParityResult> {
  const backend = tf.getBackend() as BackendName;
  const inputShape: [number, number, number, number] = [1, config.tileSizePx, config.tileSizePx, config.inputChannels];

  const model = buildUNet(config, seed);
  const input = tf.randomNormal(inputShape, 0, 1, 'float32', seed);
  const output = model.predict(input) as tf.Tensor;
  const actual = await output.data();
  const outputShape = output.shape;
  const weights = await Promise.all(model.getWeights().map(async (w) => ({ data: await w.data(), shape: w.shape })));
  const inputData = await input.data();
  tf.dispose([input, output]);
  model.dispose();

  let expected: Float32Array | Int32Array | Uint8Array;
  await tf.setBackend('cpu');
  try {
    const cpuModel = buildUNet(config, seed);
    const cpuWeights = weights.map((w) => tf.tensor(w.data, w.shape));
    cpuModel.setWeights(cpuWeights);
    const cpuInput = tf.tensor(inputData, inputShape);
    const cpuOutput = cpuModel.predict(cpuInput) as tf.Tensor;
    expected = await cpuOutput.data();
    tf.dispose([...cpuWeights, cpuInput, cpuOutput]);
    cpuModel.dispose();
  } finally {
    await tf.setBackend(backend);
  }

  let maxAbsDiff = 0;
  let maxAbsRef = 0;
  for (let i = 0; i < expected.length; i++) {
    maxAbsDiff = Math.max(maxAbsDiff, Math.abs((actual[i] as number) - (expected[i] as number)));
    maxAbsRef = Math.max(maxAbsRef, Math.abs(expected[i] as number));
  }
  return { backend, relativeError: maxAbsDiff / Math.max(maxAbsRef, 1e-12), maxAbsDiff, outputShape };
}

export interface TrainSelfTestResult {
  readonly losses: number[];
  /** Tensors alive after the run minus before it: 0 when nothing leaked. */
  readonly numTensorsLeaked: number;
}

/**
 * Trains a fresh network for a few Adam steps on one synthetic blob image; the
 * loss must fall. Proves that every training kernel runs on this backend.
 */
export async function trainSelfTest(
  config: UNetConfig,
  steps: number,
  learningRate: number,
  seed: number,
  onStep: (step: number, loss: number, elapsedMs: number) => void,
): Promise<TrainSelfTestResult> {
  const tensorsBefore = tf.memory().numTensors;
  const sample = makeBlobSample(config.tileSizePx, seed);
  const outSize = outputSizePx(config.tileSizePx, config);
  const border = borderPx(config);
  const croppedLabels = new Int32Array(outSize * outSize);
  for (let y = 0; y < outSize; y++) {
    croppedLabels.set(sample.labels.subarray((y + border) * sample.sizePx + border, (y + border) * sample.sizePx + border + outSize), y * outSize);
  }

  const model = buildUNet({ ...config, inputChannels: 1, numClasses: 2 }, seed);
  const optimizer = createOptimizer({ kind: 'adam', learningRate }); // the studio's (fused updates where the backend has them)
  const batch = {
    images: tf.tensor4d(sample.image, [1, sample.sizePx, sample.sizePx, 1]),
    labels: tf.tensor3d(croppedLabels, [1, outSize, outSize], 'int32'),
    weights: tf.ones([1, outSize, outSize]) as tf.Tensor3D,
  };
  const losses: number[] = [];
  const start = performance.now();
  try {
    for (let step = 1; step <= steps; step++) {
      const lossTensor = trainStep(model, optimizer, batch);
      const loss = (await lossTensor.data())[0] as number;
      lossTensor.dispose();
      if (!Number.isFinite(loss)) throw new Error(`The loss became ${loss} at step ${step}.`);
      losses.push(loss);
      onStep(step, loss, performance.now() - start);
    }
  } finally {
    tf.dispose([batch.images, batch.labels, batch.weights]);
    optimizer.dispose();
    model.dispose();
  }
  return { losses, numTensorsLeaked: tf.memory().numTensors - tensorsBefore };
}
