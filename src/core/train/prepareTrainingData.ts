import { invalidConfig, StudioError } from '../errors';
import type { Raster } from '../sampling/raster';
import type { TrainingSample } from '../sampling/trainingSample';
import { UNLABELLED } from '../labels/classMap';
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
  /** How the split was made, for the user. */
  readonly splitDescription: string;
}

/**
 * Weight maps for every labelled slice, and a validation split: whole slices (the last
 * `fraction` of the labelled ones) when there are several, else the bottom band of the one
 * labelled slice, so even a single sparsely painted image gets a validation score.
 */
export function prepareTrainingData(slices: readonly AnnotatedSlice[], targets: TargetParams, validationFraction: number): PreparedData {
  if (!(validationFraction >= 0 && validationFraction < 1)) {
    throw invalidConfig(`The validation fraction must be in [0, 1) (got ${validationFraction}).`);
  }
  const labelled = slices.filter((s) => s.classes.some((k) => k !== UNLABELLED));
  if (labelled.length === 0) {
    throw new StudioError('invalid-labels', 'Nothing is labelled yet: paint some foreground and background (or load label files) before training.');
  }
  const samples = labelled.map((slice) => {
    const { width, height, channels, data } = slice.image;
    const built = buildTrainingTargets({ classes: slice.classes, instances: slice.instances }, width, height, targets);
    return { width, height, channels, image: data, labels: built.classes, weights: built.weights };
  });
  if (validationFraction === 0) return { training: samples, validation: [], splitDescription: 'no validation' };

  if (samples.length >= 2) {
    const count = Math.min(samples.length - 1, Math.max(1, Math.round(samples.length * validationFraction)));
    const ids = labelled.slice(-count).map((s) => s.id);
    return {
      training: samples.slice(0, -count),
      validation: samples.slice(-count),
      splitDescription: `validation on ${count} of ${samples.length} labelled slices (${ids.join(', ')})`,
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
  };
}
