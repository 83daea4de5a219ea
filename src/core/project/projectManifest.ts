import { StudioError } from '../errors';
import type { PixelDType } from '../image/imageStack';
import { isolate } from '../text/isolate';

/**
 * The one-file project (docs/project-file.md): a zip holding manifest.json, each slice's image,
 * labels and prediction as TIFF, the model as the studio's model files, settings and training
 * history as JSON. Pure data: the page and a headless command read and write it alike.
 */
export const PROJECT_FORMAT = 'unet-studio-project';
export const PROJECT_FORMAT_VERSION = 1;
export const MANIFEST_PATH = 'manifest.json';
export const SETTINGS_PATH = 'settings.json';
export const TRAINING_PATH = 'training.json';
/** Label files: class k is k; this value is unlabelled (uint8 files; uint16 ones use 65535). */
export const UNLABELLED_UINT8 = 255;
export const UNLABELLED_UINT16 = 65535;
/** Probability files: class c's probability times this, rounded (uint16). */
export const PROBABILITY_SCALE = 65535;

const DTYPES: readonly PixelDType[] = ['uint8', 'uint16', 'uint32', 'int8', 'int16', 'int32', 'float32', 'float64'];

export interface ManifestPrediction {
  /** uint16 TIFF, one page per class 1..numClasses-1 (class 0 is 1 minus the others), value = p * PROBABILITY_SCALE. */
  readonly probabilities: string;
  readonly numClasses: number;
  /** uint16 or uint32 TIFF of object ids (0 = none). */
  readonly instances: string;
  readonly instanceCount: number;
  /** Made by the project's model (false: an earlier one; shown as stale). */
  readonly fromCurrentModel: boolean;
}

export interface ManifestSlice {
  readonly id: string;
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly dtype: PixelDType;
  /** A TIFF of `dtype`, one page per channel. */
  readonly image: string;
  /** uint8 (255 unlabelled) or uint16 (65535 unlabelled) TIFF of class numbers. */
  readonly labels: string;
  /** An instance map the labels came from (uint32 TIFF), or null. */
  readonly instances: string | null;
  readonly prediction: ManifestPrediction | null;
}

export interface ManifestModel {
  /** The studio's model files: model.json, its weights file, the metadata on its own. */
  readonly modelJson: string;
  readonly weights: string;
  readonly metadata: string;
}

export interface ProjectManifest {
  readonly format: typeof PROJECT_FORMAT;
  readonly formatVersion: number;
  readonly createdAt: string;
  readonly classNames: readonly string[];
  /** Index into slices of the slice on screen, or null. */
  readonly currentSlice: number | null;
  readonly slices: readonly ManifestSlice[];
  readonly model: ManifestModel | null;
  readonly settings: string;
  readonly training: string;
}

/** Reads and checks manifest.json: every field present with the right type, paths unique and inside the zip's own folders. */
export function parseProjectManifest(text: string): ProjectManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw bad(`it is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const m = record(raw, 'manifest.json');
  if (m.format !== PROJECT_FORMAT) throw new StudioError('unsupported-format', `manifest.json does not describe a U-Net Studio project (its format is ${isolate(String(m.format))}, not ${PROJECT_FORMAT}).`);
  const formatVersion = integer(m.formatVersion, 'formatVersion', 1);
  if (formatVersion > PROJECT_FORMAT_VERSION) {
    throw new StudioError('unsupported-format', `This project file has format version ${formatVersion}; this studio reads version ${PROJECT_FORMAT_VERSION} and older. Open it with a newer studio.`);
  }
  const classNames = array(m.classNames, 'classNames').map((name, i) => string(name, `classNames[${i}]`));
  if (classNames.length < 2) throw bad(`classNames lists ${classNames.length} class(es); a project has at least 2`);
  const slices = array(m.slices, 'slices').map((s, i) => manifestSlice(s, `slices[${i}]`));
  const currentSlice = m.currentSlice === null ? null : integer(m.currentSlice, 'currentSlice', 0);
  if (currentSlice !== null && currentSlice >= slices.length) throw bad(`currentSlice ${currentSlice} is past the ${slices.length} slices`);
  const model = m.model === null ? null : manifestModel(m.model);
  const manifest: ProjectManifest = {
    format: PROJECT_FORMAT, formatVersion, createdAt: string(m.createdAt, 'createdAt'), classNames, currentSlice, slices, model,
    settings: path(m.settings, 'settings'), training: path(m.training, 'training'),
  };
  assertUnique(slices.map((s) => s.id), 'slice id');
  assertUnique(filesOf(manifest), 'file');
  return manifest;
}

/** Every file the manifest names. */
export function filesOf(manifest: ProjectManifest): string[] {
  const model = manifest.model ? [manifest.model.modelJson, manifest.model.weights, manifest.model.metadata] : [];
  return [
    manifest.settings, manifest.training, ...model,
    ...manifest.slices.flatMap((s) => [s.image, s.labels, ...(s.instances ? [s.instances] : []), ...(s.prediction ? [s.prediction.probabilities, s.prediction.instances] : [])]),
  ];
}

function manifestSlice(raw: unknown, where: string): ManifestSlice {
  const s = record(raw, where);
  const dtype = string(s.dtype, `${where}.dtype`) as PixelDType;
  if (!DTYPES.includes(dtype)) throw bad(`${where}.dtype is ${isolate(dtype)}, not one of ${DTYPES.join(', ')}`);
  const p = s.prediction === null ? null : record(s.prediction, `${where}.prediction`);
  return {
    id: string(s.id, `${where}.id`), name: string(s.name, `${where}.name`),
    width: integer(s.width, `${where}.width`, 1), height: integer(s.height, `${where}.height`, 1), channels: integer(s.channels, `${where}.channels`, 1), dtype,
    image: path(s.image, `${where}.image`), labels: path(s.labels, `${where}.labels`),
    instances: s.instances === null ? null : path(s.instances, `${where}.instances`),
    prediction: p === null ? null : {
      probabilities: path(p.probabilities, `${where}.prediction.probabilities`), numClasses: integer(p.numClasses, `${where}.prediction.numClasses`, 2),
      instances: path(p.instances, `${where}.prediction.instances`), instanceCount: integer(p.instanceCount, `${where}.prediction.instanceCount`, 0),
      fromCurrentModel: boolean(p.fromCurrentModel, `${where}.prediction.fromCurrentModel`),
    },
  };
}

function manifestModel(raw: unknown): ManifestModel {
  const m = record(raw, 'model');
  return { modelJson: path(m.modelJson, 'model.modelJson'), weights: path(m.weights, 'model.weights'), metadata: path(m.metadata, 'model.metadata') };
}

function bad(why: string): StudioError {
  return new StudioError('decode-failed', `manifest.json is not a valid project manifest: ${why}.`);
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(`${where} is not an object`);
  return value as Record<string, unknown>;
}

function array(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw bad(`${where} is not a list`);
  return value;
}

function string(value: unknown, where: string): string {
  if (typeof value !== 'string') throw bad(`${where} is not text`);
  return value;
}

function boolean(value: unknown, where: string): boolean {
  if (typeof value !== 'boolean') throw bad(`${where} is not true or false`);
  return value;
}

function integer(value: unknown, where: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) throw bad(`${where} is not a whole number of at least ${min}`);
  return value;
}

/** A path inside the zip: relative, no "..", no backslashes (a file elsewhere on the disk cannot be named). */
function path(value: unknown, where: string): string {
  const p = string(value, where);
  if (p === '' || p.startsWith('/') || p.includes('\\') || p.split('/').some((part) => part === '..' || part === '')) throw bad(`${where} (${isolate(p)}) is not a plain path inside the zip`);
  return p;
}

function assertUnique(values: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) throw bad(`two entries name the same ${what} ${isolate(v)}`);
    seen.add(v);
  }
}
