import { StudioError } from '../../core/errors';
import { parseHexColour } from '../../core/image/classColours';
import { isThreshold } from '../persistence/projectMeta';
import type { TrainingHistory } from '../persistence/projectDb';
import type { TrainingSlice } from '../../store/slices/trainingSlice';

/** Each training choice's kind: a value of another kind is refused (a missing one takes its default on restore). */
const CHOICE_CHECKS: Readonly<Record<keyof TrainingSlice['trainingChoices'], (value: unknown) => boolean>> = {
  preset: (v) => v === 'tiny' || v === 'fast' || v === 'paper',
  architecture: (v) => v === 'unet' || v === 'unetpp',
  deepSupervision: (v) => typeof v === 'boolean',
  steps: (v) => isCount(v),
  learningRate: (v) => typeof v === 'number' && v > 0 && Number.isFinite(v),
  schedule: (v) => v === 'constant' || v === 'cosine',
  averageWeights: (v) => typeof v === 'boolean',
  tileSizePx: (v) => isCount(v),
  batchSize: (v) => isCount(v),
  augment: (v) => typeof v === 'boolean',
  freshWeights: (v) => typeof v === 'boolean',
  validationSliceIds: (v) => Array.isArray(v) && v.every((id) => typeof id === 'string'),
};

/** settings.json: the training choices (as autosave keeps them; missing ones take their defaults on restore), the class colours and the prediction threshold. */
export interface ProjectSettings {
  readonly trainingChoices: Partial<TrainingSlice['trainingChoices']>;
  /** '#rrggbb' or null (the class's default colour), index = class; empty when the file has none (projects written before colours). */
  readonly classColours: readonly (string | null)[];
  /** The prediction threshold (0-1); absent in files written before it was kept. */
  readonly predictionThreshold?: number;
}

/** Checks settings.json's shape; a StudioError names the field. */
export function readProjectSettings(raw: unknown): ProjectSettings {
  const settings = object(raw, 'settings.json');
  const given = object(settings.trainingChoices, 'settings.json: trainingChoices');
  const trainingChoices: Record<string, unknown> = {};
  for (const [key, check] of Object.entries(CHOICE_CHECKS)) {
    if (given[key] === undefined) continue;
    if (!check(given[key])) throw bad(`settings.json: trainingChoices.${key} is not a valid value (${JSON.stringify(given[key])})`);
    trainingChoices[key] = given[key];
  }
  const colours = settings.classColours ?? [];
  if (!Array.isArray(colours) || !colours.every((c) => c === null || (typeof c === 'string' && parseHexColour(c) !== null))) {
    throw bad(`settings.json: classColours is not a list of '#rrggbb' colours or null (${JSON.stringify(settings.classColours)})`);
  }
  const threshold = settings.predictionThreshold;
  if (threshold !== undefined && !isThreshold(threshold)) throw bad(`settings.json: predictionThreshold is not a number from 0 to 1 (${JSON.stringify(threshold)})`);
  return {
    trainingChoices: trainingChoices as Partial<TrainingSlice['trainingChoices']>, classColours: colours as (string | null)[],
    ...(threshold !== undefined ? { predictionThreshold: threshold } : {}),
  };
}

/** Checks training.json (the curves and the best step); a StudioError names the field. */
export function readTrainingHistory(raw: unknown): TrainingHistory {
  const t = object(raw, 'training.json');
  const losses = points(t.losses, 'losses', ['step', 'loss']) as TrainingHistory['losses'];
  const validation = points(t.validation, 'validation', ['step', 'loss', 'foregroundIoU']) as TrainingHistory['validation'];
  if (t.bestStep !== null && !isCount(t.bestStep)) throw bad('training.json: bestStep is not a step number or null');
  for (const key of ['totalSteps', 'fromStep'] as const) if (t[key] !== undefined && !isCount(t[key])) throw bad(`training.json: ${key} is not a step number`);
  let earlier: TrainingHistory['earlier'];
  if (t.earlier !== undefined) {
    const e = object(t.earlier, 'training.json: earlier');
    earlier = { losses: points(e.losses, 'earlier.losses', ['step', 'loss']) as NonNullable<TrainingHistory['earlier']>['losses'], validation: points(e.validation, 'earlier.validation', ['step', 'loss', 'foregroundIoU']) as NonNullable<TrainingHistory['earlier']>['validation'] };
  }
  return {
    losses, validation, bestStep: t.bestStep as number | null,
    ...(t.totalSteps !== undefined ? { totalSteps: t.totalSteps as number } : {}),
    ...(t.fromStep !== undefined ? { fromStep: t.fromStep as number } : {}),
    ...(earlier ? { earlier } : {}),
  };
}

function points(value: unknown, where: string, fields: readonly string[]): Record<string, number>[] {
  if (!Array.isArray(value)) throw bad(`training.json: ${where} is not a list`);
  return value.map((point, i) => {
    const p = object(point, `training.json: ${where}[${i}]`);
    for (const field of fields) if (typeof p[field] !== 'number') throw bad(`training.json: ${where}[${i}].${field} is not a number`);
    return Object.fromEntries(fields.map((field) => [field, p[field] as number]));
  });
}

function object(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(`${where} is not an object`);
  return value as Record<string, unknown>;
}

const isCount = (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

function bad(why: string): StudioError {
  return new StudioError('decode-failed', `${why}.`);
}
