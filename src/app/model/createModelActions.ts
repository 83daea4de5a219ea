import { StudioError } from '../../core/errors';
import type { ModelMetadata } from '../../core/model/modelMetadata';
import type { EngineErrorData, EngineEvent } from '../../engine/protocol';
import type { StudioStore } from '../../store/createStudioStore';
import type { SliceRegistry } from '../data/sliceRegistry';
import type { EngineClient, EngineRequestBody } from '../engineClient';
import type { PredictionRegistry } from '../predict/predictionRegistry';
import { downloadFile, type DownloadFn } from './downloadFile';
import { assertPackageInfo, type PackageInfo } from '../../core/export/bioimageio/packageInfo';
import { packageValidationScores } from './packageValidationScores';
import { MODEL_ZIP_NAME, modelFileEntries, zipModelFiles, type NamedBytes } from './modelZip';
import { buildPngZip, buildTiffExports, collectPredictedSlices, MASK_PNG_ZIP_NAME } from './predictionExports';
import type { LabelledSlice } from './labelExports';
import { buildLabelPngZip, buildLabelTiffs, LABEL_PNG_ZIP_NAME } from './labelExports';
import { UNLABELLED } from '../../core/labels/classMap';
import { isolate } from '../../core/text/isolate';
import { planForeignModelImport, planModelImport } from './modelImportChecks';
import { foreignPackageOf } from './foreignPackageOf';
import { readForeignPackage } from '../../core/bioimageioImport/readForeignPackage';
import { readModelFiles } from './readModelFiles';
import { assertFiniteWeights, assertWeightsFitArchitecture } from '../../core/model/assertFiniteWeights';
import { readModelMetadata } from '../../core/model/readModelMetadata';
import { sameNetwork } from '../../core/model/unetConfig';
import { chosenPruneLevel } from '../predict/chosenPruneLevel';
import { architectureWords, nextTrainingChoices, PRESET_NAMES, TRAINING_PRESETS } from '../training/trainingPresets';
import type { StarterId } from './starterModels';
import { fetchStarterFiles, STARTER_FINE_TUNE_LEARNING_RATE, starterModel } from './starterModels';

export interface ModelActions {
  /** Downloads model.json + weights (+ metadata) as separate files, or as one zip. */
  exportModel(format: 'files' | 'zip'): Promise<void>;
  /** Downloads the model as model.onnx (input b, c, y, x; class probabilities out). */
  exportOnnx(): Promise<void>;
  /**
   * Downloads a bioimage.io model package (rdf.yaml, ONNX and TensorFlow.js weights, test tensors of the
   * current slice, cover, documentation with the held-out scores), described by the export form.
   */
  exportBioimagePackage(form: PackageForm): Promise<void>;
  /** Loads a model.json with its weights file(s), or a zip of them, into the engine. */
  importModel(files: readonly File[]): Promise<void>;
  /** Downloads the predictions: masks and foreground probabilities as TIFF stacks, or one PNG per slice. */
  exportPredictions(format: 'tiff' | 'png'): Promise<void>;
  /**
   * Downloads the labels (painted or loaded): class maps (255 unlabelled) and instance maps, a TIFF
   * per source image that the import pairs and reads back, or one PNG per slice in a zip.
   */
  exportLabels(format: 'tiff' | 'png'): Promise<void>;
  /**
   * Loads a shipped starter model (public/starters/) as an import: the same checks and question,
   * then the training preset that continues it. Predicting needs no training after this.
   */
  loadStarterModel(id: StarterId): Promise<void>;
}

type ModelReply = Extract<EngineEvent, { type: typeof REPLY_TYPES[number] }>;
const REPLY_TYPES = ['model/exported', 'model/onnx-exported', 'model/bioimageio-exported', 'model/imported', 'model/foreign-imported', 'error'] as const;
const isReply = (event: EngineEvent): event is ModelReply => (REPLY_TYPES as readonly string[]).includes(event.type);

export const ONNX_FILE_NAME = 'unet-model.onnx';
export const BIOIMAGEIO_ZIP_NAME = 'unet-model.bioimageio.zip';

/** What the export form asks: the package's name, description, authors (one per line) and licence. */
export interface PackageForm {
  readonly name: string;
  readonly description: string;
  readonly authors: string;
  readonly license: string;
}

/** "fast preset, 120 steps, tile 256 px": the store's one-line model description. */
export function describeModel(metadata: ModelMetadata): string {
  // The preset name comes from the file: isolated, it cannot reorder the line around it.
  return `${isolate(metadata.training.preset)} preset${architectureWords(metadata.architecture, metadata.pruning)}, ${metadata.training.steps} steps, tile ${metadata.tile.inputTilePx} px`;
}

/**
 * Model files in and out, and prediction downloads. The actions never throw: every failure lands
 * in store.errors (phase 'import' or 'export') naming the file. Engine errors are already filed there
 * by connectEngine, so a reply of type 'error' only ends the wait here.
 */
export function createModelActions(
  store: StudioStore, engine: EngineClient, slices: SliceRegistry, predictions: PredictionRegistry, download: DownloadFn = downloadFile,
  confirm: (question: string) => boolean | Promise<boolean> = (question) => window.confirm(question),
  fetchStarter: (id: StarterId) => Promise<NamedBytes[]> = (id) => fetchStarterFiles(id, import.meta.env.BASE_URL),
): ModelActions {
  const waiting = new Map<string, (reply: ModelReply) => void>();
  engine.subscribe((event) => {
    if (!isReply(event)) return;
    // A crashed worker answers nothing more: end every wait.
    const runIds = event.type === 'error' && event.runId === 'worker' ? [...waiting.keys()] : [event.runId];
    for (const runId of runIds) {
      waiting.get(runId)?.(event);
      waiting.delete(runId);
    }
  });
  const ask = (body: EngineRequestBody) => new Promise<ModelReply>((resolve) => waiting.set(engine.send(body), resolve));
  /** Every check before anything changes, then the engine's import; null when the user kept what they have. */
  const importChosen = async (chosen: NamedBytes[]): Promise<ModelMetadata | null> => {
    const { modelJson, weights, modelFileName, userDefinedMetadata } = readModelFiles(chosen);
    // The metadata, then the project (a run, channels, classes).
    const metadata = readModelMetadata(userDefinedMetadata);
    assertWeightsFitArchitecture(metadata.architecture, weights.reduce((sum, w) => sum + w.byteLength, 0));
    assertFiniteWeights(weights);
    const plan = planModelImport(metadata, modelFileName, store.getState(), slices.largestClass());
    if (plan.refusal) throw new StudioError('invalid-config', plan.refusal);
    if (plan.question && !(await confirm(plan.question))) return null;
    // The engine checks again (the weights too) and swaps last; connectEngine records the model.
    const reply = await ask({ type: 'model/import', modelJson, weights });
    if (reply.type !== 'model/imported') return null;
    store.setState((s) => ({ data: { ...s.data, classNames: [...reply.metadata.classNames] } }));
    return reply.metadata;
  };
  /**
   * A third-party bioimage.io package: the core reads and checks it here (a refusal before any question),
   * the project is checked, the user asked; the engine reads it again, reproduces its test output and swaps last.
   */
  const importForeign = async ({ packageName, files }: { packageName: string; files: NamedBytes[] }): Promise<void> => {
    const { spec } = readForeignPackage(files, packageName);
    const plan = planForeignModelImport(spec, packageName, store.getState());
    if (plan.refusal) throw new StudioError('invalid-config', plan.refusal);
    if (plan.question && !(await confirm(plan.question))) return;
    const reply = await ask({ type: 'model/import-foreign', packageName, files });
    if (reply.type !== 'model/foreign-imported') return;
    // Names follow the model only where the count changes: a project's own names for two classes stay.
    if (reply.summary.classNames.length !== store.getState().data.classNames.length) {
      store.setState((s) => ({ data: { ...s.data, classNames: [...reply.summary.classNames] } }));
    }
  };
  const fail = (phase: 'import' | 'export', error: unknown) => {
    const data: EngineErrorData = {
      code: error instanceof StudioError ? error.code : `${phase}-failed`,
      message: error instanceof Error ? error.message : String(error),
      phase,
    };
    store.setState((s) => ({ errors: [...s.errors, data] }));
  };

  /** As Predict uses it: a UNet++ pruned to the chosen level exports (model files, ONNX, package) as that smaller network. */
  const pruning = (): { pruneLevel?: number } => {
    const pruneLevel = chosenPruneLevel(store.getState());
    return pruneLevel !== null ? { pruneLevel } : {};
  };

  return {
    async exportModel(format) {
      try {
        if (!store.getState().model.available) throw new StudioError('invalid-config', 'Train or import a model first: there is no model to export yet.');
        const reply = await ask({ type: 'model/export', classNames: store.getState().data.classNames, ...pruning() });
        if (reply.type !== 'model/exported') return;
        if (format === 'zip') download(MODEL_ZIP_NAME, zipModelFiles(reply.files));
        else for (const file of modelFileEntries(reply.files)) download(file.name, file.bytes);
      } catch (error) {
        fail('export', error);
      }
    },

    async exportOnnx() {
      try {
        if (!store.getState().model.available) throw new StudioError('invalid-config', 'Train or import a model first: there is no model to export yet.');
        const reply = await ask({ type: 'model/export-onnx', classNames: store.getState().data.classNames, ...pruning() });
        if (reply.type === 'model/onnx-exported') download(ONNX_FILE_NAME, reply.bytes);
      } catch (error) {
        fail('export', error);
      }
    },

    async exportBioimagePackage(form) {
      try {
        const state = store.getState();
        if (!state.model.available) throw new StudioError('invalid-config', 'Train or import a model first: there is no model to export yet.');
        const { scores, note } = packageValidationScores(state);
        const info: PackageInfo = {
          name: form.name,
          description: form.description,
          // One author a line, "Name; affiliation" when there is one.
          authors: form.authors.split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
            const [name = '', affiliation] = line.split(';').map((part) => part.trim());
            return affiliation ? { name, affiliation } : { name };
          }),
          license: form.license,
          validation: scores,
          ...(note ? { validationNote: note } : {}),
        };
        assertPackageInfo(info); // here too, so a bad form never waits for the engine
        const reply = await ask({ type: 'model/export-bioimageio', classNames: state.data.classNames, classColours: state.data.classColours, info, testSliceId: state.data.currentSliceId, ...pruning() });
        if (reply.type === 'model/bioimageio-exported') download(BIOIMAGEIO_ZIP_NAME, reply.zip);
      } catch (error) {
        fail('export', error);
      }
    },

    async importModel(files) {
      try {
        const chosen = await Promise.all(files.map(readChosenFile));
        const foreign = foreignPackageOf(chosen);
        if (foreign) await importForeign(foreign);
        else await importChosen(chosen);
      } catch (error) {
        fail('import', error);
      }
    },

    async loadStarterModel(id) {
      try {
        const metadata = await importChosen(await fetchStarter(id));
        if (!metadata) return;
        const preset = PRESET_NAMES.find((name) => sameNetwork(TRAINING_PRESETS[name].settings.unet, metadata.architecture));
        store.setState((s) => ({
          model: { ...s.model, description: `${starterModel(id).title} starter: ${describeModel(metadata)}` },
          // The preset whose network the starter is, so that training fine-tunes it instead of starting fresh,
          // at the fine-tuning learning rate (STARTER_FINE_TUNE_LEARNING_RATE says why), on the preset's own tiles
          // on a CPU too: the starter cards' head starts were measured so.
          trainingChoices: {
            ...(preset ? nextTrainingChoices(s.trainingChoices, { preset, architecture: metadata.architecture.architecture }) : s.trainingChoices),
            freshWeights: false,
            learningRate: STARTER_FINE_TUNE_LEARNING_RATE,
          },
        }));
      } catch (error) {
        fail('import', error);
      }
    },

    async exportLabels(format) {
      try {
        const labelled = collectLabelledSlices(store.getState().data.slices, slices);
        if (labelled.length === 0) throw new StudioError('invalid-config', 'No labels to export yet: paint some, or load label files with the images.');
        if (format === 'png') download(LABEL_PNG_ZIP_NAME, buildLabelPngZip(labelled));
        else for (const file of buildLabelTiffs(labelled)) download(file.name, file.bytes);
      } catch (error) {
        fail('export', error);
      }
    },

    async exportPredictions(format) {
      try {
        const { data, prediction } = store.getState();
        const predicted = collectPredictedSlices(data.slices, predictions, prediction.threshold);
        if (predicted.length === 0) throw new StudioError('invalid-config', 'No predictions to export yet: predict this slice or all slices first.');
        if (format === 'png') download(MASK_PNG_ZIP_NAME, buildPngZip(predicted));
        else for (const file of buildTiffExports(predicted)) download(file.name, file.bytes);
      } catch (error) {
        fail('export', error);
      }
    },
  };
}

async function readChosenFile(file: File): Promise<NamedBytes> {
  try {
    return { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
  } catch (error) {
    throw new StudioError('decode-failed', `${isolate(file.name)} could not be read (${error instanceof Error ? error.message : String(error)}).`);
  }
}

/**
 * The slices to export labels of, in slice order: every slice of a source image (a stack keeps all
 * its pages, so it pairs with its image again) where any slice of that image has a label.
 */
function collectLabelledSlices(summaries: readonly { readonly id: string; readonly name: string }[], registry: SliceRegistry): LabelledSlice[] {
  const source = (name: string) => name.replace(/ \d+\/\d+$/, '');
  const all = summaries.flatMap(({ id, name }) => {
    const record = registry.get(id);
    return record ? [{ name, width: record.width, height: record.height, classes: record.classes, instances: record.instances ?? null }] : [];
  });
  const withLabels = new Set(all.filter((s) => s.classes.some((k) => k !== UNLABELLED)).map((s) => source(s.name)));
  return all.filter((s) => withLabels.has(source(s.name)));
}
