/**
 * The data both sides of the accuracy run train on, written once as raw little-endian files plus a
 * manifest (exchange.json), so the TypeScript trainer and the PyTorch reference read the very same
 * normalised images, classes and weight maps, and the very same recipe.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AugmentationParams } from '../../src/core/augment/augmentationParams';
import { normaliseImage, type Normalisation } from '../../src/core/image/normaliseImage';
import { decodePng } from '../../src/core/io/decodePng';
import { interpretLabels } from '../../src/core/labels/interpretLabels';
import type { UNetConfig } from '../../src/core/model/unetConfig';
import type { PredictionTiling } from '../../src/core/predict/choosePredictionTile';
import type { Tile } from '../../src/core/predict/planTiles';
import type { TrainingSample } from '../../src/core/sampling/trainingSample';
import type { OptimizerSpec } from '../../src/core/train/createOptimizer';
import type { PreparedData } from '../../src/core/train/prepareTrainingData';
import { prepareTrainingData } from '../../src/core/train/prepareTrainingData';
import type { TargetParams } from '../../src/core/weights/buildTrainingTargets';
import { requireSharedData } from '../sharedData';

/** Everything that defines the run; both sides read it from exchange.json. */
export interface Recipe {
  readonly unet: UNetConfig;
  readonly optimizer: OptimizerSpec & { readonly beta1: number; readonly beta2: number; readonly epsilon: number };
  readonly batchSize: number;
  readonly steps: number;
  readonly evalSteps: readonly number[];
  readonly augmentation: AugmentationParams;
  /** Context warped around each tile (TileDrawer.marginPx for this tile and augmentation). */
  readonly augmentationMarginPx: number;
  readonly targets: TargetParams;
  readonly normalisation: Normalisation;
  readonly trainSlices: readonly number[];
  readonly validationSlices: readonly number[];
  /**
   * Tiled prediction of a validation slice, as the studio predicts it (studioPredictionTiling: the
   * chosen tile, its margins, overlapping tiles blended by predictTiled's window); the tiles are
   * planTiles' for those options, so the PyTorch side blends the very same tiles.
   */
  readonly prediction: PredictionTiling & { readonly tiles: readonly Tile[] };
}

export interface Exchange {
  readonly recipe: Recipe;
  readonly width: number;
  readonly height: number;
  /** Files relative to the exchange folder: [slices, H, W] float32 / int32 / float32. */
  readonly train: { readonly count: number; readonly image: string; readonly labels: string; readonly weights: string };
  readonly validation: { readonly count: number; readonly image: string; readonly labels: string; readonly weights: string };
}

/** ISBI 2012 training slices 0-19 (PNG) -> normalised images and binary classes (255 = cell = class 1). */
export function loadIsbi(normalisation: Normalisation) {
  const dir = requireSharedData('isbi2012/png/train');
  return Array.from({ length: 20 }, (_, i) => {
    const image = decodePng(readFileSync(path.join(dir, 'image', `${i}.png`)), `image ${i}.png`);
    const label = decodePng(readFileSync(path.join(dir, 'label', `${i}.png`)), `label ${i}.png`);
    if (image.channels !== 1 || label.channels !== 1) throw new Error(`ISBI slice ${i} is not single-channel.`);
    const { classes, instances } = interpretLabels(label.data, { kind: 'binary', foregroundValue: 255 }, `label ${i}.png`);
    return {
      id: String(i),
      image: { data: normaliseImage(image.data, 1, normalisation), width: image.width, height: image.height, channels: 1 },
      classes,
      instances,
    };
  });
}

/** Training on slices 0-14 and validation on 15-19: prepareTrainingData's whole-slice split with 5 of 20. */
export function prepareIsbi(targets: TargetParams, normalisation: Normalisation): PreparedData {
  // Whole validation slices (no pixel cap): the accuracy run scores all of slices 15-19.
  const data = prepareTrainingData(loadIsbi(normalisation), targets, 0.25, Number.POSITIVE_INFINITY);
  if (data.training.length !== 15 || data.validation.length !== 5) throw new Error(`Unexpected split: ${data.splitDescription}`);
  return data;
}

function stack<T extends Float32Array | Int32Array>(samples: readonly TrainingSample[], pick: (s: TrainingSample) => T, make: (n: number) => T): T {
  const size = pick(samples[0] as TrainingSample).length;
  const out = make(size * samples.length);
  samples.forEach((s, i) => out.set(pick(s), i * size));
  return out;
}

function writeArray(file: string, array: Float32Array | Int32Array): void {
  writeFileSync(file, new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
}

export function writeExchange(dir: string, recipe: Recipe, data: PreparedData): Exchange {
  mkdirSync(dir, { recursive: true });
  const first = data.training[0] as TrainingSample;
  const files = (part: 'train' | 'validation', samples: readonly TrainingSample[]) => {
    writeArray(path.join(dir, `${part}_image.f32`), stack(samples, (s) => s.image, (n) => new Float32Array(n)));
    writeArray(path.join(dir, `${part}_labels.i32`), stack(samples, (s) => s.labels, (n) => new Int32Array(n)));
    writeArray(path.join(dir, `${part}_weights.f32`), stack(samples, (s) => s.weights, (n) => new Float32Array(n)));
    return { count: samples.length, image: `${part}_image.f32`, labels: `${part}_labels.i32`, weights: `${part}_weights.f32` };
  };
  const exchange: Exchange = {
    recipe,
    width: first.width,
    height: first.height,
    train: files('train', data.training),
    validation: files('validation', data.validation),
  };
  writeFileSync(path.join(dir, 'exchange.json'), JSON.stringify(exchange, null, 2));
  return exchange;
}

function readArray<T extends Float32Array | Int32Array>(file: string, make: (buffer: ArrayBuffer) => T): T {
  const bytes = readFileSync(file);
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return make(copy);
}

export function readFloat32(file: string): Float32Array {
  return readArray(file, (b) => new Float32Array(b));
}

/** The exchange folder back as PreparedData (what TrainingRun takes) plus the recipe. */
export function readExchange(dir: string): { exchange: Exchange; data: PreparedData } {
  const exchange = JSON.parse(readFileSync(path.join(dir, 'exchange.json'), 'utf8')) as Exchange;
  const { width, height } = exchange;
  const samples = (part: Exchange['train']): TrainingSample[] => {
    const image = readFloat32(path.join(dir, part.image));
    const labels = readArray(path.join(dir, part.labels), (b) => new Int32Array(b));
    const weights = readFloat32(path.join(dir, part.weights));
    const n = width * height;
    return Array.from({ length: part.count }, (_, i) => ({
      width, height, channels: 1,
      image: image.slice(i * n, (i + 1) * n),
      labels: labels.slice(i * n, (i + 1) * n),
      weights: weights.slice(i * n, (i + 1) * n),
    }));
  };
  return { exchange, data: { training: samples(exchange.train), validation: samples(exchange.validation), splitDescription: 'ISBI 2012 slices 0-14 / 15-19', validationSliceIds: [] } };
}
