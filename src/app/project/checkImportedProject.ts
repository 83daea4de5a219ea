import { StudioError } from '../../core/errors';
import { assertFiniteWeights, assertWeightsFitArchitecture } from '../../core/model/assertFiniteWeights';
import type { ModelFiles } from '../../core/model/modelFiles';
import { readModelMetadata } from '../../core/model/readModelMetadata';
import type { ReadProject } from '../../core/project/readProjectFile';
import { isolate } from '../../core/text/isolate';
import type { StudioState } from '../../store/createStudioStore';
import type { SliceRecord } from '../data/sliceRegistry';
import { planModelImport } from '../model/modelImportChecks';
import { readModelFiles } from '../model/readModelFiles';
import type { ProjectMeta } from '../persistence/projectDb';
import type { SlicePrediction } from '../predict/predictionRegistry';
import { readProjectSettings, readTrainingHistory } from './readProjectJson';

/** A checked project, ready to be stored in place of the current one. */
export interface ProjectToStore {
  readonly slices: SliceRecord[];
  readonly predictions: { readonly sliceId: string; readonly prediction: SlicePrediction; readonly fromCurrentModel: boolean }[];
  readonly model: ModelFiles | null;
  readonly meta: ProjectMeta;
  /** What will be restored, for the user: "4 slices (3 labelled), 1 prediction, the model, …". */
  readonly summary: string;
}

/**
 * The checks a project file's content passes before anything changes, beyond its files' own (core/
 * project): the model as a model import checks it (metadata, weights' size and values, images'
 * channels, labels' classes: modelImportChecks.ts), predictions of the model's class count, settings
 * and training history of the right shape. A StudioError names the part.
 */
export function checkImportedProject(read: ReadProject, fileName: string, state: StudioState, now: Date): ProjectToStore {
  const { manifest } = read;
  const slices: SliceRecord[] = read.slices.map(({ slice }) => ({ ...slice, instances: slice.instances ?? null }));
  let largestLabel = -1;
  for (const slice of slices) for (const k of slice.classes) if (k > largestLabel) largestLabel = k;
  let model: ModelFiles | null = null;
  if (read.model) {
    const { modelJson, weightsFileName, weights, metadataJson } = read.model;
    const where = `${isolate(fileName)}: the model (model/model.json)`;
    try {
      const files = readModelFiles([{ name: 'model.json', bytes: new TextEncoder().encode(modelJson) }, { name: weightsFileName, bytes: new Uint8Array(weights) }]);
      const metadata = readModelMetadata(files.userDefinedMetadata);
      assertWeightsFitArchitecture(metadata.architecture, files.weights.reduce((sum, w) => sum + w.byteLength, 0));
      assertFiniteWeights(files.weights);
      // Checked against the imported project, not the current one (which it replaces).
      const imported: StudioState = {
        ...state,
        training: { ...state.training, status: 'idle' },
        data: { ...state.data, classNames: [...manifest.classNames], slices: slices.map(({ id, name, width, height, channels, dtype }) => ({ id, name, width, height, channels, dtype, labelled: false })) },
        model: { ...state.model, available: false },
      };
      const plan = planModelImport(metadata, 'model/model.json', imported, largestLabel);
      if (plan.refusal) throw new StudioError('invalid-config', plan.refusal);
      for (const { slice, prediction } of read.slices) {
        if (prediction && prediction.numClasses !== metadata.architecture.numClasses) {
          throw new StudioError('shape-mismatch', `the prediction of ${isolate(slice.name)} has ${prediction.numClasses} classes, the model ${metadata.architecture.numClasses}.`);
        }
      }
    } catch (error) {
      throw new StudioError(error instanceof StudioError ? error.code : 'decode-failed', `${where}: ${error instanceof Error ? error.message : String(error)}`);
    }
    model = { modelJson, weightsFileName, weights, metadataJson };
  }
  const settings = readProjectSettings(read.settings);
  const training = readTrainingHistory(read.training);
  const predictions = read.slices.flatMap(({ slice, prediction }) => (prediction ? [{
    sliceId: slice.id, fromCurrentModel: prediction.fromCurrentModel && model !== null,
    prediction: {
      width: slice.width, height: slice.height, numClasses: prediction.numClasses, quantised: prediction.quantised,
      covered: null, instances: prediction.instances, instanceCount: prediction.instanceCount, done: true,
    } satisfies SlicePrediction,
  }] : []));
  const meta: ProjectMeta = {
    currentSliceId: manifest.currentSlice === null ? null : (manifest.slices[manifest.currentSlice]?.id ?? null),
    classNames: [...manifest.classNames], classColours: [...settings.classColours], training, trainingChoices: settings.trainingChoices as ProjectMeta['trainingChoices'],
    ...(settings.predictionThreshold !== undefined ? { predictionThreshold: settings.predictionThreshold } : {}), savedAt: now.toISOString(),
  };
  return { slices, predictions, model, meta, summary: summarise(slices, predictions.length, model !== null, training) };
}

function summarise(slices: readonly SliceRecord[], predictions: number, model: boolean, training: ProjectMeta['training']): string {
  const labelled = slices.filter((s) => s.classes.some((k) => k >= 0)).length;
  const steps = Math.max(training.losses.at(-1)?.step ?? 0, training.totalSteps ?? 0);
  const parts = [
    `${slices.length} slice${slices.length === 1 ? '' : 's'} (${labelled} labelled)`,
    `${predictions} prediction${predictions === 1 ? '' : 's'}`,
    model ? 'the model' : 'no model',
    'the settings',
    steps > 0 ? `a training history of ${steps} steps` : 'no training history',
  ];
  return parts.join(', ');
}
