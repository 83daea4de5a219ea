import { invalidConfig, StudioError } from '../errors';
import type { Raster } from '../sampling/raster';
import type { TrainingSample } from '../sampling/trainingSample';
import { hasLabels } from '../labels/classMap';
import type { TargetParams } from '../weights/buildTrainingTargets';
import { buildTrainingTargets } from '../weights/buildTrainingTargets';

/** One annotated slice as the engine holds it: normalised image, classes (UNLABELLED allowed), instance ids if known. */
export interface AnnotatedSlice {
  readonly id: string;
  readonly image: Raster<Float32Array>;
  readonly classes: Int32Array;
  readonly instances: Int32Array | null;
}

export interface PreparedData {
  /** Slices with the paper's weight maps; validation pixels carry weight 0 here. */
  readonly training: readonly TrainingSample[];
  /** Held-out slices or bands, scored but never trained on. */
  readonly validation: readonly TrainingSample[];
  /** How the split was made, for the user (slices are not named: the page names them, by validationSliceIds). */
  readonly splitDescription: string;
  /** The slices validation scores (whole, or the band of the only one). */
  readonly validationSliceIds: readonly string[];
}

/**
 * Validation scores at most this many pixels (centred crops of the held-out slices), so one
 * validation costs about as much as a few training steps however large the stack is.
 */
export const MAX_VALIDATION_PX = 512 * 512;

/**
 * Weight maps for every labelled slice, and a validation split: whole slices (the last
 * `fraction` of the labelled ones) when there are several, else the bottom band of the one
 * labelled slice, so even a single sparsely painted image gets a validation score.
 */
export function prepareTrainingData(slices: readonly AnnotatedSlice[], targets: TargetParams, validationFraction: number,
  maxValidationPx = MAX_VALIDATION_PX, chosenValidationIds: readonly string[] = []): PreparedData {
  const split = splitTrainingData(slices, targets, validationFraction, chosenValidationIds);
  const pixels = split.validation.reduce((sum, s) => sum + s.width * s.height, 0);
  if (pixels <= maxValidationPx) return split;
  // Centred crops with the same share of the budget each (a bounded, fixed validation set).
  const sidePx = Math.max(16, Math.floor(Math.sqrt(maxValidationPx / split.validation.length)));
  const validation = split.validation.map((s) => centreCrop(s, Math.min(s.width, sidePx), Math.min(s.height, sidePx)));
  const kept = validation.reduce((sum, s) => sum + s.width * s.height, 0);
  return { ...split, validation, splitDescription: `${split.splitDescription}; scored on centred crops (${kept.toLocaleString('en')} px) to keep validation quick` };
}

function centreCrop(sample: TrainingSample, width: number, height: number): TrainingSample {
  const x0 = Math.floor((sample.width - width) / 2);
  const y0 = Math.floor((sample.height - height) / 2);
  const { channels } = sample;
  const image = new Float32Array(width * height * channels);
  const labels = new Int32Array(width * height);
  const weights = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const from = (y0 + y) * sample.width + x0;
    image.set(sample.image.subarray(from * channels, (from + width) * channels), y * width * channels);
    labels.set(sample.labels.subarray(from, from + width), y * width);
    weights.set(sample.weights.subarray(from, from + width), y * width);
  }
  return { width, height, channels, image, labels, weights };
}

function splitTrainingData(slices: readonly AnnotatedSlice[], targets: TargetParams, validationFraction: number, chosenIds: readonly string[]): PreparedData {
  if (!(validationFraction >= 0 && validationFraction < 1)) {
    throw invalidConfig(`The validation fraction must be in [0, 1) (got ${validationFraction}).`);
  }
  const labelled = slices.filter((s) => hasLabels(s.classes));
  if (labelled.length === 0) {
    throw new StudioError('invalid-labels', 'Nothing is labelled yet: paint some foreground and background (or load label files) before training.');
  }
  const samples = labelled.map((slice) => {
    const { width, height, channels, data } = slice.image;
    const built = buildTrainingTargets({ classes: slice.classes, instances: slice.instances }, width, height, targets);
    return { width, height, channels, image: data, labels: built.classes, weights: built.weights };
  });
  if (validationFraction === 0) return { training: samples, validation: [], splitDescription: 'no validation', validationSliceIds: [] };

  // The user's choice, among the labelled slices; at least one must be left to train on.
  const chosen = labelled.map((s, i) => ({ id: s.id, i })).filter((s) => chosenIds.includes(s.id));
  if (chosen.length > 0) {
    if (chosen.length === labelled.length) {
      throw invalidConfig(`Every labelled slice is chosen for validation (${chosen.length}): leave at least one to train on.`);
    }
    const held = new Set(chosen.map((c) => c.i));
    return {
      training: samples.filter((_, i) => !held.has(i)),
      validation: samples.filter((_, i) => held.has(i)),
      splitDescription: `validation on ${chosen.length} of ${samples.length} labelled slices, as chosen`,
      validationSliceIds: chosen.map((c) => c.id),
    };
  }

  if (samples.length >= 2) {
    const count = Math.min(samples.length - 1, Math.max(1, Math.round(samples.length * validationFraction)));
    const ids = labelled.slice(-count).map((s) => s.id);
    return {
      training: samples.slice(0, -count),
      validation: samples.slice(-count),
      splitDescription: `validation on ${count} of ${samples.length} labelled slices`,
      validationSliceIds: ids,
    };
  }
  const [sample] = samples as [TrainingSample];
  const bandRows = Math.max(1, Math.round(sample.height * validationFraction));
  const firstRow = sample.height - bandRows;
  const trainingWeights = sample.weights.slice();
  trainingWeights.fill(0, firstRow * sample.width);
  const rowSize = sample.width * sample.channels;
  return {
    training: [{ ...sample, weights: trainingWeights }],
    validation: [{
      width: sample.width,
      height: bandRows,
      channels: sample.channels,
      image: sample.image.slice(firstRow * rowSize),
      labels: sample.labels.slice(firstRow * sample.width),
      weights: sample.weights.slice(firstRow * sample.width),
    }],
    splitDescription: `validation on the bottom ${bandRows} rows of the only labelled slice`,
    validationSliceIds: [labelled[0]?.id as string],
  };
}
