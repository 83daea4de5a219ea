import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { UNLABELLED } from '../core/labels/classMap';
import type { ModelFiles } from '../core/model/modelFiles';
import type { ProjectPredictionData, ProjectSliceData } from '../core/project/projectSliceFiles';
import { readProjectFile } from '../core/project/readProjectFile';
import { writeProjectFile } from '../core/project/writeProjectFile';
import type { TrainingHistory } from '../app/persistence/projectSchema';
import { readProjectSettings, readTrainingHistory } from '../app/project/readProjectJson';
import type { TrainingChoices } from '../app/training/trainingPresets';
import type { SliceData } from '../engine/protocol';
import { initialTrainingChoices } from '../store/slices/trainingSlice';
import { initialPrediction } from '../store/slices/predictionSlice';

/** A project file as the headless command uses it: the engine's slices, the choices, the model, what to write back. */
export interface HeadlessProject {
  /** The file's name without `.zip` (and without the studio's `.unet-project`), for the files written. */
  readonly name: string;
  readonly createdAt: string;
  readonly currentSliceId: string | null;
  /** As stored, with names; `classes` null where a slice has no label at all (the engine predicts it, never trains on it). */
  readonly slices: readonly (SliceData & { readonly name: string })[];
  readonly classNames: readonly string[];
  readonly classColours: readonly (string | null)[];
  /** The page's prediction threshold (masks.tif follows it): the file's, else the page's default. */
  readonly predictionThreshold: number;
  readonly trainingChoices: TrainingChoices;
  readonly training: TrainingHistory;
  readonly model: ModelFiles | null;
  readonly predictions: ReadonlyMap<string, ProjectPredictionData>;
}

const PROJECT_SUFFIX = /(\.unet-project)?\.zip$/i;

/** Reads and checks a project file (core/project: every part before anything is used); a StudioError names the part that is wrong. */
export async function readHeadlessProject(file: string): Promise<HeadlessProject> {
  const bytes = await readFile(file);
  const read = await readProjectFile(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path.basename(file));
  const settings = readProjectSettings(read.settings);
  const predictions = new Map<string, ProjectPredictionData>();
  const slices = read.slices.map(({ slice, prediction }) => {
    if (prediction) predictions.set(slice.id, prediction);
    const labelled = slice.classes.some((k) => k !== UNLABELLED);
    return {
      id: slice.id, name: slice.name, width: slice.width, height: slice.height, channels: slice.channels, dtype: slice.dtype,
      pixels: slice.pixels, classes: labelled ? slice.classes : null, instances: slice.instances ?? null,
    };
  });
  const { manifest } = read;
  return {
    name: path.basename(file).replace(PROJECT_SUFFIX, ''),
    createdAt: manifest.createdAt,
    currentSliceId: manifest.currentSlice === null ? null : (manifest.slices[manifest.currentSlice]?.id ?? null),
    slices,
    classNames: manifest.classNames,
    classColours: settings.classColours,
    predictionThreshold: settings.predictionThreshold ?? initialPrediction.threshold,
    trainingChoices: { ...initialTrainingChoices, ...settings.trainingChoices },
    training: readTrainingHistory(read.training),
    model: read.model ? { ...read.model } : null,
    predictions,
  };
}

/** Writes the project as the page's Export project does (core/project), file by file to disk; returns the path written. */
export async function writeHeadlessProject(file: string, project: HeadlessProject): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  const out = createWriteStream(file);
  const finished = new Promise<void>((resolve, reject) => { out.on('finish', resolve); out.on('error', reject); });
  const slices: ProjectSliceData[] = project.slices.map((s) => ({
    id: s.id, name: s.name, width: s.width, height: s.height, channels: s.channels, dtype: s.dtype, pixels: s.pixels,
    classes: s.classes ?? new Int32Array(s.width * s.height).fill(UNLABELLED), instances: s.instances,
  }));
  await writeProjectFile({
    createdAt: project.createdAt, classNames: project.classNames, currentSliceId: project.currentSliceId, slices,
    predictionOf: (id) => project.predictions.get(id) ?? null, model: project.model,
    settings: { trainingChoices: project.trainingChoices, classColours: project.classColours, predictionThreshold: project.predictionThreshold }, training: project.training,
  }, (chunk, final) => {
    out.write(chunk);
    if (final) out.end();
  });
  await finished;
  return file;
}
