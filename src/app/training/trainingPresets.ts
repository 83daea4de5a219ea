import { DEFAULT_AUGMENTATION } from '../../core/augment/augmentationParams';
import { invalidConfig } from '../../core/errors';
import type { GeometrySpec } from '../../core/geometry/tileGeometry';
import { validInputSizesPx } from '../../core/geometry/tileGeometry';
import type { UNetConfig } from '../../core/model/unetConfig';
import { pruneLevelsOf, validateUNetConfig } from '../../core/model/unetConfig';
import type { LearningRateSchedule } from '../../core/train/learningRateSchedule';
import type { TrainingSettings } from '../../core/train/trainingSettings';
import { FAST_TRAINING, PAPER_TRAINING, WEIGHT_AVERAGE } from '../../core/train/trainingSettings';
import type { BackendName, BackendReport } from '../../engine/protocol';
import type { TrainingSlice } from '../../store/slices/trainingSlice';

export type TrainingChoices = TrainingSlice['trainingChoices'];
export type PresetName = TrainingChoices['preset'];

/** A network small enough for any machine, software GPUs and the CPU included: try the studio in a minute. */
export const TINY_UNET: UNetConfig = {
  architecture: 'unet',
  depth: 2,
  baseChannels: 8,
  padding: 'same',
  inputChannels: 1,
  numClasses: 2,
  // Few steps on a small net: dropout would only slow the first visible result down.
  dropoutRate: 0,
  batchNorm: true,
  tileSizePx: 64,
};

export const TINY_TRAINING: TrainingSettings = {
  // TrainingSettings names no 'tiny' preset yet; 'custom' is what the worker and metadata accept.
  preset: 'tiny',
  unet: TINY_UNET,
  // On the example stack (wasm, 100 steps) 5e-3 reached validation loss 0.19 against 0.26 at 2e-3 and 0.30 at 1e-3; batch norm keeps it stable.
  optimizer: { kind: 'adam', learningRate: 5e-3 },
  steps: 100,
  batchSize: 2,
  augmentation: DEFAULT_AUGMENTATION,
  targets: FAST_TRAINING.targets,
  validationFraction: 0.2,
  validateEverySteps: 10,
  seed: 1,
  weightAverage: WEIGHT_AVERAGE,
};

export interface TrainingPreset {
  readonly name: PresetName;
  readonly label: string;
  /** One sentence for the panel. */
  readonly description: string;
  readonly settings: TrainingSettings;
}

export const TRAINING_PRESETS: Readonly<Record<PresetName, TrainingPreset>> = {
  tiny: {
    name: 'tiny',
    label: 'Tiny (any machine)',
    description: 'A depth-2 same-padded U-Net with 8 base channels and batch norm, 64 px tiles, Adam, 100 steps: runs anywhere, even on the CPU, to try the studio in a minute.',
    settings: TINY_TRAINING,
  },
  fast: {
    name: 'fast',
    label: 'Fast',
    description: 'A same-padded U-Net with 16 base channels and batch norm, Adam, batches of 2 tiles (256 px on a GPU, 128 px on a CPU): quick iteration on a GPU; on a CPU slower to start than tiny, but it goes further (EM membranes).',
    settings: FAST_TRAINING,
  },
  paper: {
    name: 'paper',
    label: 'Paper',
    description: 'The paper\'s U-Net: valid convolutions, 64 base channels, depth 4, one 572 px tile per step, SGD with momentum 0.99: best quality, needs a real GPU and time.',
    settings: PAPER_TRAINING,
  },
};

export const PRESET_NAMES: readonly PresetName[] = ['tiny', 'fast', 'paper'];

/** Tile sizes offered: below 16 px a tile holds no context, above 1024 px most browser GPUs run out of memory. */
export const MIN_TILE_PX = 16;
export const MAX_TILE_PX = 1024;
export const MAX_STEPS = 100_000;
export const MAX_BATCH_SIZE = 64;

export function presetGeometry(preset: PresetName): GeometrySpec {
  const { depth, padding } = TRAINING_PRESETS[preset].settings.unet;
  return { depth, padding };
}

/**
 * A preset's tile size where the engine runs on a CPU, where it differs from the preset's. The fast network on 128 px
 * tiles (~90 steps a minute on one wasm thread, against ~25 at 256 px) scored higher than on 256 px tiles at every
 * checkpoint of a 1-5 minute run on both ISBI and DSB nuclei (2 seeds each), and it reaches ISBI's V_Rand 0.93, which
 * the tiny preset never did in 6000 steps (bench/results/recipes/README.md).
 */
export const CPU_TILE_SIZE_PX: Partial<Record<PresetName, number>> = { fast: 128 };

/** Whether an engine trains on a CPU: wasm, tfjs's cpu backend, or a software GPU (SwiftShader). */
export const runsOnCpu = (report: BackendReport): boolean => report.backend === 'wasm' || report.backend === 'cpu' || report.software === true;

/** The numbers a preset puts into the panel's fields (onCpu: the engine runs on a CPU, CPU_TILE_SIZE_PX). */
export function presetDefaults(preset: PresetName, onCpu = false): Pick<TrainingChoices, 'steps' | 'learningRate' | 'schedule' | 'averageWeights' | 'tileSizePx' | 'batchSize'> {
  const { settings } = TRAINING_PRESETS[preset];
  return {
    steps: settings.steps, learningRate: settings.optimizer.learningRate, schedule: scheduleOf(settings), averageWeights: settings.weightAverage !== undefined,
    tileSizePx: (onCpu ? CPU_TILE_SIZE_PX[preset] : undefined) ?? settings.unet.tileSizePx, batchSize: settings.batchSize,
  };
}

/** Whether the choices average the weights: the preset's default where the choices (saved before the option) do not say. */
export const averagesWeights = (choices: TrainingChoices): boolean => choices.averageWeights ?? TRAINING_PRESETS[choices.preset].settings.weightAverage !== undefined;

/** A settings' schedule, constant where it names none. */
export const scheduleOf = (settings: TrainingSettings): LearningRateSchedule => settings.optimizer.schedule ?? 'constant';

/** The choices' schedule: the preset's where the choices (saved before schedules) name none. */
export const scheduleOfChoices = (choices: TrainingChoices): LearningRateSchedule => choices.schedule ?? scheduleOf(TRAINING_PRESETS[choices.preset].settings);

export interface SnappedTile {
  readonly tileSizePx: number;
  /** True when the requested size was not valid for the geometry (or outside the offered range). */
  readonly snapped: boolean;
}

/** The valid tile size nearest to the request, within [MIN_TILE_PX, MAX_TILE_PX]; ties go to the larger tile (more context). */
export function snapTileSizePx(requestedPx: number, geometry: GeometrySpec): SnappedTile {
  const sizes = validInputSizesPx(geometry, MIN_TILE_PX, MAX_TILE_PX);
  if (sizes.length === 0) throw invalidConfig(`No tile size from ${MIN_TILE_PX} to ${MAX_TILE_PX} px fits a ${geometry.padding} U-Net of depth ${geometry.depth}.`);
  if (!Number.isFinite(requestedPx)) return { tileSizePx: sizes[0] as number, snapped: true };
  let best = sizes[0] as number;
  for (const size of sizes) if (Math.abs(size - requestedPx) <= Math.abs(best - requestedPx)) best = size;
  return { tileSizePx: best, snapped: best !== requestedPx };
}

/**
 * The choices after a patch: picking a preset resets steps, learning rate, schedule, weight averaging, tile and batch to its
 * defaults (its CPU tile size where onCpu; fields given in the same patch still win); a tile size snaps to the preset's geometry.
 */
export function nextTrainingChoices(current: TrainingChoices, patch: Partial<TrainingChoices>, onCpu = false): TrainingChoices {
  const preset = patch.preset ?? current.preset;
  const next: TrainingChoices = patch.preset !== undefined
    ? { ...current, ...presetDefaults(preset, onCpu), ...patch }
    : { ...current, ...patch };
  if (patch.tileSizePx !== undefined) next.tileSizePx = snapTileSizePx(next.tileSizePx, presetGeometry(preset)).tileSizePx;
  // UNet++ is same-padded only: a valid-padded preset is a U-Net.
  if (next.architecture === 'unetpp' && presetGeometry(preset).padding !== 'same') next.architecture = 'unet';
  return next;
}

function assertWholeNumber(value: number, what: string, max: number): void {
  if (!Number.isInteger(value) || value < 1 || value > max) throw invalidConfig(`${what} must be a whole number from 1 to ${max} (got ${value}).`);
}

/** The preset's network as the panel's architecture choice makes it (the classes and channels come from the data). */
export function networkOfChoices(choices: TrainingChoices): UNetConfig {
  const { unet } = TRAINING_PRESETS[choices.preset].settings;
  if ((choices.architecture ?? 'unet') === 'unet') return unet;
  return { ...unet, architecture: 'unetpp', deepSupervision: choices.deepSupervision ?? true };
}

/** What a model's one-line description adds for its network: nothing for a U-Net (as before), " UNet++" for a UNet++. */
export function architectureWords(config: UNetConfig, pruning?: { readonly level: number; readonly fullDepth: number }): string {
  if (config.architecture !== 'unetpp') return '';
  return pruning ? ` UNet++ pruned to level ${pruning.level} of ${pruning.fullDepth}` : ' UNet++';
}

/** The pruning levels the model trained from these choices offers at prediction. */
export function pruneLevelsOfChoices(choices: TrainingChoices): number {
  return pruneLevelsOf(networkOfChoices(choices));
}

/**
 * The TrainingSettings the worker gets for the panel's choices; throws a StudioError naming the
 * field that is out of range. Validation every tenth of the run at least, so short runs get a curve too.
 */
export function settingsFromChoices(choices: TrainingChoices, numClasses: number, inputChannels = 1): TrainingSettings {
  const { weightAverage: presetAverage, ...base } = TRAINING_PRESETS[choices.preset].settings;
  assertWholeNumber(choices.steps, 'Steps', MAX_STEPS);
  assertWholeNumber(choices.batchSize, 'Batch size', MAX_BATCH_SIZE);
  if (!(Number.isFinite(choices.learningRate) && choices.learningRate > 0 && choices.learningRate <= 1)) {
    throw invalidConfig(`Learning rate must be a number above 0 and at most 1 (got ${choices.learningRate}).`);
  }
  if (choices.tileSizePx > MAX_TILE_PX) throw invalidConfig(`Tile size must be at most ${MAX_TILE_PX} px (got ${choices.tileSizePx}).`);
  const unet: UNetConfig = { ...networkOfChoices(choices), numClasses, inputChannels, tileSizePx: choices.tileSizePx };
  validateUNetConfig(unet);
  return {
    ...base,
    unet,
    optimizer: { ...base.optimizer, learningRate: choices.learningRate, schedule: scheduleOfChoices(choices) },
    ...(averagesWeights(choices) ? { weightAverage: presetAverage ?? WEIGHT_AVERAGE } : {}),
    steps: choices.steps,
    batchSize: choices.batchSize,
    augmentation: choices.augment ? (base.augmentation ?? DEFAULT_AUGMENTATION) : null,
    // Validation costs several steps' time; a run always validates at its last step anyway.
    validateEverySteps: base.validateEverySteps,
    ...(choices.validationSliceIds.length > 0 ? { validationSliceIds: [...choices.validationSliceIds] } : {}),
  };
}

/** A warning for a preset that will crawl (or run out of memory) on the backend in use, else null. */
export function presetWarning(preset: PresetName, backend: BackendName | null): string | null {
  if (preset !== 'paper' || (backend !== 'cpu' && backend !== 'wasm')) return null;
  return `The paper preset on the ${backend === 'wasm' ? 'WebAssembly (CPU)' : 'CPU'} backend will be very slow and may run out of memory (31 M parameters, 572 px tiles); choose "tiny" or "fast" here.`;
}
