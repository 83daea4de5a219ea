import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from '../../testUtils/wasmBackend';
import { DEFAULT_AUGMENTATION } from '../augment/augmentationParams';
import { UNLABELLED } from '../labels/classMap';
import { buildUNet } from '../model/buildUNet';
import { PAPER_UNET } from '../model/unetConfig';
import { makeBlobSample } from '../synthetic/makeBlobSample';
import { PAPER_WEIGHT_MAP } from '../weights/computeWeightMap';
import type { AnnotatedSlice } from './prepareTrainingData';
import { prepareTrainingData } from './prepareTrainingData';
import { TrainingRun } from './TrainingRun';
import type { TrainingSettings } from './trainingSettings';

const unet = { ...PAPER_UNET, depth: 2, baseChannels: 8, tileSizePx: 60, dropoutRate: 0 }; // valid, 60 -> 20
const settings: TrainingSettings = {
  preset: 'custom',
  unet,
  optimizer: { kind: 'adam', learningRate: 0.01 },
  steps: 30,
  batchSize: 2,
  augmentation: DEFAULT_AUGMENTATION,
  targets: { ...PAPER_WEIGHT_MAP, separateTouching: true, connectivity: 4 },
  validationFraction: 0.25,
  validateEverySteps: 10,
  seed: 3,
};

function blobSlice(id: string, seed: number, sparse: boolean): AnnotatedSlice {
  const sample = makeBlobSample(64, seed, 6);
  const classes = Int32Array.from(sample.labels);
  if (sparse) for (let i = 0; i < classes.length; i++) if (Math.floor(i / 64) % 4 !== 0) classes[i] = UNLABELLED; // strokes: every 4th row
  return { id, image: { data: sample.image, width: 64, height: 64, channels: 1 }, classes, instances: null };
}

describe('prepareTrainingData', () => {
  it('caps validation at a pixel budget with centred crops of the held-out slices', () => {
    const slices = [blobSlice('a', 1, false), blobSlice('b', 2, false), blobSlice('c', 3, false), blobSlice('d', 4, false)];
    const full = prepareTrainingData(slices, settings.targets, 0.5);
    const capped = prepareTrainingData(slices, settings.targets, 0.5, 2 * 32 * 32);
    expect(capped.training).toEqual(full.training);
    expect(capped.validation.map((v) => [v.width, v.height])).toEqual([[32, 32], [32, 32]]);
    // The crop is the centre: row 16..47, column 16..47 of each 64x64 held-out slice.
    const [original, cropped] = [full.validation[1]!, capped.validation[1]!];
    for (const [y, x] of [[0, 0], [5, 31], [31, 7]] as const) {
      expect(cropped.image[y * 32 + x]).toBe(original.image[(y + 16) * 64 + x + 16]);
      expect(cropped.labels[y * 32 + x]).toBe(original.labels[(y + 16) * 64 + x + 16]);
      expect(cropped.weights[y * 32 + x]).toBe(original.weights[(y + 16) * 64 + x + 16]);
    }
    expect(capped.splitDescription).toMatch(/centred crops \(2,048 px\)/);
    expect(prepareTrainingData(slices, settings.targets, 0.5, 2 * 64 * 64).validation).toEqual(full.validation);
  });

  it('holds out the last labelled slices, or the bottom band of a single slice', () => {
    const slices = [blobSlice('a', 1, false), blobSlice('b', 2, false), blobSlice('c', 3, false), blobSlice('d', 4, false)];
    const split = prepareTrainingData(slices, settings.targets, 0.25);
    expect(split.training).toHaveLength(3);
    expect(split.validation).toHaveLength(1);
    expect(split.splitDescription).toBe('validation on 1 of 4 labelled slices');
    expect(split.validationSliceIds).toEqual(['d']);
    // The user's choice wins (ids of unlabelled or unknown slices are ignored); all of them is refused.
    const chosen = prepareTrainingData(slices, settings.targets, 0.25, undefined, ['b', 'zz']);
    expect(chosen.validationSliceIds).toEqual(['b']);
    expect(chosen.validation[0]!.image).toEqual(prepareTrainingData([slices[0]!, slices[1]!], settings.targets, 0.5).validation[0]!.image);
    expect(chosen.training).toHaveLength(3);
    expect(chosen.splitDescription).toBe('validation on 1 of 4 labelled slices, as chosen');
    expect(() => prepareTrainingData(slices, settings.targets, 0.25, undefined, ['a', 'b', 'c', 'd'])).toThrow(/Every labelled slice is chosen for validation \(4\): leave at least one to train on/);
    const single = prepareTrainingData([slices[0]!], settings.targets, 0.25);
    expect(single.validation[0]!.height).toBe(16);
    expect(single.training[0]!.weights.subarray(48 * 64).every((w) => w === 0)).toBe(true);
    expect(single.splitDescription).toMatch(/bottom 16 rows/);
  });

  it('says clearly when nothing is labelled', () => {
    const empty = { ...blobSlice('a', 1, false), classes: new Int32Array(64 * 64).fill(UNLABELLED) };
    expect(() => prepareTrainingData([empty], settings.targets, 0.2)).toThrow(/Nothing is labelled yet/);
  });
});

describe('TrainingRun (wasm backend: the fast CPU path, with the project\'s training kernel)', () => {
  beforeAll(useWasmBackend);
  afterAll(async () => void (await tf.setBackend('cpu')));

  it('trains a valid U-Net on sparse strokes with augmentation: loss falls, validation improves, no leaks', async () => {
    const slices = [blobSlice('a', 1, true), blobSlice('b', 2, true), blobSlice('c', 3, true), blobSlice('d', 4, false)];
    const model = buildUNet(unet, 1);
    const tensorsOfModel = tf.memory().numTensors;
    const run = new TrainingRun(model, prepareTrainingData(slices, settings.targets, 0.25), settings);
    const first = await run.validate();
    const losses: number[] = [(await run.step()).loss];
    const tensorsBefore = tf.memory().numTensors; // after the first step: optimiser slots and the best checkpoint exist
    for (let i = 1; i < settings.steps; i++) {
      const report = await run.step();
      expect(report.recoveredMessage).toBeUndefined();
      expect(report.tilesPerSecond).toBeGreaterThan(0);
      losses.push(report.loss);
    }
    const last = await run.validate();
    console.info(`[train] loss ${losses[0]!.toFixed(3)} -> ${losses.at(-1)!.toFixed(3)}; validation loss ${first!.loss.toFixed(3)} -> ${last!.loss.toFixed(3)}, IoU ${first!.foregroundIoU.toFixed(3)} -> ${last!.foregroundIoU.toFixed(3)}`);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-5))).toBeLessThan(mean(losses.slice(0, 5)));
    expect(last!.loss).toBeLessThan(first!.loss);
    expect(last!.isBest).toBe(true);
    expect(last!.foregroundIoU).toBeGreaterThan(0.5);
    expect(tf.memory().numTensors).toBe(tensorsBefore); // 29 steps and a new best checkpoint later: flat
    expect(run.resultWeights().every((w, i) => w === model.getWeights()[i])).toBe(true); // no weight average: the run's result so far is the model as trained
    run.dispose();
    expect(tf.memory().numTensors).toBe(tensorsOfModel); // optimiser slots, snapshots and the checkpoint all freed
    model.dispose();
  });
});

describe('TrainingRun with a weight average (wasm: the moving average through the project\'s kernel)', () => {
  beforeAll(useWasmBackend);
  afterAll(async () => void (await tf.setBackend('cpu')));

  /** The average TensorFlow's ExponentialMovingAverage keeps (num_updates warm-up), in float64, from the weights after each step. */
  function referenceAverage(start: Float64Array[], afterEachStep: Float32Array[][], decay: number): Float64Array[] {
    const average = start.map((w) => Float64Array.from(w));
    afterEachStep.forEach((weights, i) => {
      const keep = Math.min(decay, (2 + i) / (11 + i)); // step i + 1
      average.forEach((a, j) => { for (let k = 0; k < a.length; k++) a[k] = keep * a[k]! + (1 - keep) * weights[j]![k]!; });
    });
    return average;
  }
  const values = (model: tf.LayersModel) => model.getWeights().map((w) => w.dataSync() as Float32Array).map((w) => Float32Array.from(w));
  const maxRelativeError = (actual: Float32Array[], expected: ArrayLike<number>[]) => Math.max(...actual.map((a, j) => {
    let worst = 0;
    const e = expected[j]!;
    for (let k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs(a[k]! - e[k]!) / Math.max(Math.abs(e[k]!), 1e-3));
    return worst;
  }));

  it('validates and keeps the average while training goes on from its own weights; without validation the run ends on the average', async () => {
    // Batch norm too: its moving statistics are averaged with the rest.
    const network = { ...unet, padding: 'same' as const, batchNorm: true, tileSizePx: 32 };
    const averaged: TrainingSettings = { ...settings, unet: network, augmentation: null, weightAverage: { decay: 0.99 } };
    const slices = [blobSlice('a', 1, false), blobSlice('b', 2, false), blobSlice('c', 3, false), blobSlice('d', 4, false)];
    const data = prepareTrainingData(slices, averaged.targets, 0.25);
    for (const validation of [data.validation, []]) {
      const model = buildUNet(network, 1);
      const start = values(model).map((w) => Float64Array.from(w));
      const run = new TrainingRun(model, { ...data, validation }, averaged);
      const afterEachStep: Float32Array[][] = [];
      let tensors = 0;
      for (let i = 0; i < 6; i++) {
        await run.step();
        afterEachStep.push(values(model));
        if (i === 1) tensors = tf.memory().numTensors;
      }
      expect(tf.memory().numTensors).toBe(tensors); // the average is updated in place, nothing leaks
      const trained = afterEachStep.at(-1)!;
      const expected = referenceAverage(start, afterEachStep, 0.99);
      expect(maxRelativeError(trained, expected)).toBeGreaterThan(1e-2); // the average is not the weights as trained
      // What a checkpoint copies mid-run: the average, read in place while the model keeps its trained weights.
      expect(maxRelativeError(run.resultWeights().map((w) => Float32Array.from(w.dataSync())), expected)).toBeLessThan(1e-5);
      expect(values(model)).toEqual(trained);
      if (validation.length > 0) {
        expect(await run.validate()).toMatchObject({ step: 6, isBest: true });
        expect(values(model)).toEqual(trained); // the next step starts from the trained weights
      } else {
        expect(await run.validate()).toBeNull();
      }
      run.keepResult();
      expect(run.resultWeights().map((w) => Float32Array.from(w.dataSync()))).toEqual(values(model)); // after the end: what it kept
      const error = maxRelativeError(values(model), expected);
      console.info(`[average] ${validation.length > 0 ? 'best validated' : 'no validation'}: max relative error against the float64 reference ${error.toExponential(2)}`);
      expect(error).toBeLessThan(1e-5);
      run.dispose();
      model.dispose();
    }
  });
});
