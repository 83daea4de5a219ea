import { StudioError } from '../errors';
import { outputSizePx } from '../geometry/tileGeometry';
import type { Normalisation } from '../image/normaliseImage';
import type { ModelMetadata } from './modelMetadata';
import type { UNetConfig } from './unetConfig';
import { hasDeepSupervision, validateUNetConfig } from './unetConfig';

/** What a model without a training record says about its history. */
export const UNKNOWN_TRAINING: ModelMetadata['training'] = { steps: 0, preset: 'unknown', finalLoss: null, bestValidationLoss: null, backend: 'unknown', savedAt: '' };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** A StudioError naming the field: "model.json: metadata field normalisation.highPercent ...". */
function bad(field: string, problem: string): StudioError {
  return new StudioError('unsupported-format', `model.json: the metadata's ${field} ${problem}, so the model cannot be used safely. Export it again from U-Net Studio.`);
}

function readArchitecture(value: unknown): UNetConfig {
  if (!isObject(value)) throw bad('architecture', 'is missing');
  // Metadata written before the field existed describes a U-Net.
  const kind = value.architecture ?? 'unet';
  if (kind !== 'unet' && kind !== 'unetpp') throw bad('architecture', `is "${String(kind)}", neither a U-Net nor a UNet++`);
  if (value.deepSupervision !== undefined && typeof value.deepSupervision !== 'boolean') throw bad('architecture.deepSupervision', 'is not true or false');
  for (const field of ['depth', 'baseChannels', 'inputChannels', 'numClasses', 'dropoutRate', 'tileSizePx'] as const) {
    if (!isFiniteNumber(value[field])) throw bad(`architecture.${field}`, 'is not a number');
  }
  if (value.padding !== 'same' && value.padding !== 'valid') throw bad('architecture.padding', 'is neither "same" nor "valid"');
  if (typeof value.batchNorm !== 'boolean') throw bad('architecture.batchNorm', 'is not true or false');
  const config = { ...value, architecture: kind } as unknown as UNetConfig;
  try {
    validateUNetConfig(config);
  } catch (error) {
    throw bad('architecture', `is not a network U-Net Studio builds (${error instanceof Error ? error.message : String(error)})`);
  }
  return {
    architecture: config.architecture, depth: config.depth, baseChannels: config.baseChannels, padding: config.padding, inputChannels: config.inputChannels,
    numClasses: config.numClasses, dropoutRate: config.dropoutRate, batchNorm: config.batchNorm, tileSizePx: config.tileSizePx,
    ...(config.architecture === 'unetpp' ? { deepSupervision: hasDeepSupervision(config) } : {}),
  };
}

function readPruning(value: unknown, architecture: UNetConfig): ModelMetadata['pruning'] | null {
  if (value === undefined) return null;
  if (!isObject(value) || !Number.isInteger(value.level) || !Number.isInteger(value.fullDepth)) throw bad('pruning', 'is not a level and a depth');
  const { level, fullDepth } = value as { level: number; fullDepth: number };
  if (architecture.architecture !== 'unetpp' || level !== architecture.depth || fullDepth < level || fullDepth > 8) {
    throw bad('pruning', `(level ${level} of depth ${fullDepth}) does not fit its architecture`);
  }
  return { level, fullDepth };
}

function readNormalisation(value: unknown, inputChannels: number): Normalisation {
  if (!isObject(value)) throw bad('normalisation', 'is missing (how to scale images for this model is unknown)');
  if (value.kind === 'zscore') return { kind: 'zscore' };
  if (value.kind !== 'percentile') throw bad('normalisation.kind', `is "${String(value.kind)}", neither "percentile" nor "zscore"`);
  const { lowPercent, highPercent } = value;
  if (!isFiniteNumber(lowPercent) || !isFiniteNumber(highPercent) || lowPercent < 0 || highPercent > 100 || lowPercent >= highPercent) {
    throw bad('normalisation', `has percentiles ${String(lowPercent)}..${String(highPercent)}, not 0 <= low < high <= 100`);
  }
  // Models saved before the stretch limit have none: they are normalised as they were trained.
  if (value.minRange === undefined) return { kind: 'percentile', lowPercent, highPercent };
  const { minRange } = value;
  if (!Array.isArray(minRange) || minRange.length !== inputChannels || !minRange.every((v) => isFiniteNumber(v) && v >= 0)) {
    throw bad('normalisation.minRange', `is not a list of ${inputChannels} range(s), one number >= 0 per input channel`);
  }
  return { kind: 'percentile', lowPercent, highPercent, minRange: minRange as number[] };
}

function readClassNames(value: unknown, numClasses: number): string[] {
  if (!Array.isArray(value) || !value.every((name) => typeof name === 'string' && name.trim() !== '' && name.length <= 100)) {
    throw bad('classNames', 'is not a list of names (up to 100 characters each)');
  }
  if (value.length !== numClasses) throw bad('classNames', `names ${value.length} classes for a network of ${numClasses}`);
  return [...(value as string[])];
}

function readTraining(value: unknown): ModelMetadata['training'] {
  if (value === undefined) return UNKNOWN_TRAINING; // not recorded: the model still predicts, its history is unknown
  if (!isObject(value)) throw bad('training', 'is not a record of the training run');
  const { steps, preset, finalLoss, bestValidationLoss, backend, savedAt } = value;
  if (!isFiniteNumber(steps) || !Number.isInteger(steps) || steps < 0) throw bad('training.steps', 'is not a whole number of steps');
  const lossOrNull = (loss: unknown, field: string) => {
    if (loss === null || loss === undefined) return null;
    if (!isFiniteNumber(loss)) throw bad(`training.${field}`, 'is not a number');
    return loss;
  };
  return {
    steps,
    preset: typeof preset === 'string' ? preset : 'unknown',
    finalLoss: lossOrNull(finalLoss, 'finalLoss'),
    bestValidationLoss: lossOrNull(bestValidationLoss, 'bestValidationLoss'),
    backend: typeof backend === 'string' ? backend : 'unknown',
    savedAt: typeof savedAt === 'string' ? savedAt : '',
  };
}

/**
 * The U-Net Studio metadata of a model.json (`userDefinedMetadata.unetStudio`), every field checked
 * before anything uses it: architecture, tile geometry, normalisation, class names and the training
 * record (optional). Throws a StudioError naming the first field that is wrong.
 */
export function readModelMetadata(userDefinedMetadata: unknown): ModelMetadata {
  const raw = isObject(userDefinedMetadata) ? userDefinedMetadata.unetStudio : undefined;
  if (!isObject(raw) || raw.format !== 'unet-studio/1') {
    throw new StudioError('unsupported-format', 'This model.json was not saved by U-Net Studio (no unetStudio metadata), so its tile geometry and classes are unknown.');
  }
  const architecture = readArchitecture(raw.architecture);
  const tile = raw.tile;
  const outputTilePx = outputSizePx(architecture.tileSizePx, architecture);
  if (!isObject(tile) || tile.inputTilePx !== architecture.tileSizePx || tile.outputTilePx !== outputTilePx || !isFiniteNumber(tile.borderPx)) {
    throw bad('tile', 'does not match its architecture');
  }
  const pruning = readPruning(raw.pruning, architecture);
  return {
    format: 'unet-studio/1',
    architecture,
    ...(pruning ? { pruning } : {}),
    tile: { inputTilePx: architecture.tileSizePx, outputTilePx, borderPx: tile.borderPx },
    normalisation: readNormalisation(raw.normalisation, architecture.inputChannels),
    classNames: readClassNames(raw.classNames, architecture.numClasses),
    training: readTraining(raw.training),
  };
}
