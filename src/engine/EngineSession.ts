import type * as tf from '@tensorflow/tfjs';
import { StudioError } from '../core/errors';
import type { PixelRect } from '../core/image/pixelRect';
import { pasteRect } from '../core/image/pixelRect';
import { UNLABELLED } from '../core/labels/classMap';
import { borderPx, outputSizePx } from '../core/geometry/tileGeometry';
import type { Normalisation } from '../core/image/normaliseImage';
import { DEFAULT_NORMALISATION } from '../core/image/normaliseImage';
import { buildUNet } from '../core/model/buildUNet';
import type { ModelFiles } from '../core/model/modelFiles';
import { loadModelFiles, saveModelFiles } from '../core/model/modelFiles';
import type { ModelMetadata } from '../core/model/modelMetadata';
import { rebuildForTileSize } from '../core/model/rebuildForTileSize';
import type { UNetConfig } from '../core/model/unetConfig';
import { hasDeepSupervision, sameNetwork } from '../core/model/unetConfig';
import { modelClassNames } from '../core/model/modelClassNames';
import { pruneUNetPlusPlus } from '../core/model/pruneUNetPlusPlus';
import { studioPredictionTiling } from '../core/predict/choosePredictionTile';
import { predictTiledRows } from '../core/predict/predictTiled';
import { predictingNetwork } from '../core/predict/predictingNetwork';
import { predictEachSlice, type PostEvent } from './predictEachSlice';
import { foreignPredictionTiling } from '../core/bioimageioImport/foreignTiling';
import { preprocessSlice } from '../core/bioimageioImport/foreignTileModel';
import { predictOnlyReason } from '../core/bioimageioImport/predictOnlyReason';
import type { PackageEntry } from '../core/bioimageioImport/readForeignPackage';
import { isolate } from '../core/text/isolate';
import { loadForeignModel, type LoadedForeignModel } from './foreign/loadForeignModel';
import type { RawImage } from '../core/export/bioimageio/buildBioimagePackage';
import type { AnnotatedSlice } from '../core/train/prepareTrainingData';
import { prepareTrainingData } from '../core/train/prepareTrainingData';
import { TrainingRun } from '../core/train/TrainingRun';
import type { TrainingSettings } from '../core/train/trainingSettings';
import { estimateWasmTrainingHeapBytes, largestWasmTrainingTilePx, WASM_HEAP_LIMIT_BYTES, WASM_TRAINING_BUDGET_BYTES } from '../core/train/trainingMemory';
import { currentWebGpuDevice, deviceLossGraceMs, GpuPoolByShape, webgpuDeviceLostWithin } from './backends/webgpuDevice';
import type { EngineEvent, ForeignModelSummary, SliceData } from './protocol';
import { TrainingJob } from './TrainingJob';
import { WeightCheckpoint } from './WeightCheckpoint';
import type { StoredSlice } from './normalisedSlices';
import { normalisationForTraining, renormalise, storeSlice } from './normalisedSlices';

interface TrainingHistory {
  steps: number;
  preset: string;
  finalLoss: number | null;
  bestValidationLoss: number | null;
}

/**
 * Everything the engine worker holds: the slices (raw and normalised), the current model, the
 * running training job. Heavy state lives here, in the worker, never in the page's store.
 */
export class EngineSession {
  private readonly slices = new Map<string, StoredSlice>();
  private normalisation: Normalisation = DEFAULT_NORMALISATION;
  private model: tf.LayersModel | null = null;
  private config: UNetConfig | null = null;
  /** A third-party bioimage.io model (predict only), held instead of a studio model. */
  private foreign: LoadedForeignModel | null = null;
  private job: TrainingJob | null = null;
  private history: TrainingHistory = { steps: 0, preset: 'none', finalLoss: null, bestValidationLoss: null };
  /** The last good weights outside the GPU, for when its device is lost (webgpu only: other backends' memory cannot vanish). */
  private readonly checkpoint = new WeightCheckpoint(() => this.backendName() === 'webgpu');
  private readonly gpuPool = new GpuPoolByShape();
  /** The latest run's end (settled, never rejected: its failure is posted as an error event). */
  private trainingEnded: Promise<void> = Promise.resolve();
  /** Set by stopPrediction: the prediction in flight ends after its current tile. */
  private predictionStopAsked = false;

  constructor(private readonly backendName: () => string) {}

  putSlice(slice: SliceData): void {
    this.slices.set(slice.id, storeSlice(slice, this.normalisation));
  }

  /** Writes painted classes into a slice's labels (rect.width x rect.height values, row-major); the instance map is dropped. */
  patchLabels(id: string, rect: PixelRect, classes: Int32Array): void {
    const stored = this.slices.get(id);
    if (!stored) return; // its dataset/put failed, and said so: a stroke has nothing to add to it
    const { width, height } = stored.raw;
    if (rect.x < 0 || rect.y < 0 || rect.x + rect.width > width || rect.y + rect.height > height || classes.length !== rect.width * rect.height) {
      throw new StudioError('invalid-config', `A label update for slice "${id}" does not fit its ${width}x${height} pixels.`);
    }
    // A run (running or paused) trains on these arrays: give it a copy to keep; edit in place otherwise.
    const target = stored.raw.classes ? (this.job ? stored.raw.classes.slice() : stored.raw.classes) : new Int32Array(width * height).fill(UNLABELLED);
    pasteRect(target, width, rect, classes);
    this.slices.set(id, { ...stored, raw: { ...stored.raw, classes: target, instances: null } });
  }

  removeSlice(id: string): void {
    this.slices.delete(id);
  }

  sliceIds(): string[] {
    return [...this.slices.keys()];
  }

  startTraining(runId: string, settings: TrainingSettings, freshWeights: boolean, post: (event: EngineEvent) => void): void {
    if (this.job) throw new StudioError('invalid-config', 'Training is already running: stop it before starting another run.');
    if (this.foreign && !freshWeights) throw new StudioError('invalid-config', predictOnlyReason(this.foreign.summary.name));
    const labelled = [...this.slices.values()].filter((s) => s.raw.classes !== null);
    const channels = new Set(labelled.map((s) => s.raw.channels));
    if (channels.size > 1) throw new StudioError('size-mismatch', 'The labelled slices have different numbers of channels (grey and colour mixed); train on one kind at a time.');
    const unet: UNetConfig = { ...settings.unet, inputChannels: [...channels][0] ?? settings.unet.inputChannels };
    if (this.backendName() === 'wasm') assertFitsWasmHeap(unet, settings.batchSize);
    // The stretch limit of these training images (only images below it change: empty fields stay dark).
    const next = normalisationForTraining(labelled, this.normalisation, !freshWeights && this.model !== null);
    if (JSON.stringify(next) !== JSON.stringify(this.normalisation)) {
      for (const [id, slice] of renormalise(this.slices, this.normalisation, next)) this.slices.set(id, slice);
      this.normalisation = next;
    }
    const annotated: AnnotatedSlice[] = labelled.map(({ raw }) => ({
      id: raw.id,
      image: { data: (this.slices.get(raw.id) as StoredSlice).image, width: raw.width, height: raw.height, channels: raw.channels },
      classes: raw.classes as Int32Array,
      instances: raw.instances,
    }));
    const data = prepareTrainingData(annotated, settings.targets, settings.validationFraction, undefined, settings.validationSliceIds ?? []);
    const previous = this.config;
    const continued = this.useModelFor(unet, freshWeights, settings.seed);
    this.dropForeign(); // fresh weights: a new studio model takes the third-party one's place
    const model = this.model as tf.LayersModel;
    const run = new TrainingRun(model, data, { ...settings, unet });
    if (!continued) this.history = { steps: 0, preset: settings.preset, finalLoss: null, bestValidationLoss: null };
    else if (this.history.preset !== settings.preset) this.history = { ...this.history, preset: settings.preset };
    post({ type: 'train/started', runId, totalSteps: settings.steps, splitDescription: data.splitDescription, validationSliceIds: data.validationSliceIds, fromStep: this.history.steps, parameterCount: model.countParams() });
    // The user did not ask for fresh weights, but the current model cannot continue: say so, never pretend it does.
    if (!continued && !freshWeights && previous) {
      post({ type: 'train/notice', runId, message: `Training starts from fresh weights: the current model (${describeArchitecture(previous)}) differs from these settings (${describeArchitecture(unet)}).` });
    }
    this.gpuPool.use(`train ${unet.tileSizePx} px x ${settings.batchSize}`);
    const job = new TrainingJob(run, runId, settings.steps, settings.validateEverySteps, (event) => {
      if (event.type === 'train/progress') {
        this.history.steps++;
        this.history.finalLoss = event.loss;
      }
      if (event.type === 'train/validation' && (this.history.bestValidationLoss === null || event.loss < this.history.bestValidationLoss)) {
        this.history.bestValidationLoss = event.loss;
      }
      post(event);
    }, (final) => this.checkpoint.take(() => run.resultWeights(), this.history.steps, final)); // the weight average, where the run keeps one
    this.job = job;
    const device = currentWebGpuDevice();
    this.trainingEnded = job.done.catch(async (error: unknown) => {
      // The device died under it: the worker's recovery tells the user (and finds the run in this.job).
      if (job.isAbandoned || await webgpuDeviceLostWithin(deviceLossGraceMs(error), device)) {
        job.abandon();
        return;
      }
      post({ type: 'error', runId, error: { code: error instanceof StudioError ? error.code : 'training-failed', message: error instanceof Error ? error.message : String(error), phase: 'training' } });
    }).finally(() => {
      if (job.isAbandoned) return; // its tensors went with the old backend
      run.dispose();
      this.gpuPool.releaseNow();
      if (this.job === job) this.job = null;
    });
  }

  /** Settles once the latest training run has ended and released its tensors (its train/done event comes a little earlier). */
  whenTrainingEnded(): Promise<void> {
    return this.trainingEnded;
  }

  pauseTraining(afterStep?: number): void { this.job?.pause(afterStep); }
  resumeTraining(): void { this.job?.resume(); }
  stopTraining(): void { this.job?.stop(); }

  /** Ends the prediction in flight after its current tile (a 20000 px slice is 729 tiles, half an hour on two cores). */
  stopPrediction(): void {
    this.predictionStopAsked = true;
  }

  async predict(runId: string, sliceIds: readonly string[], testTimeAugmentation: boolean, post: PostEvent, pruneLevel?: number): Promise<void> {
    this.assertIdle('predict');
    this.predictionStopAsked = false;
    if (this.foreign) return this.predictForeign(this.foreign, runId, sliceIds, testTimeAugmentation, post);
    if (!this.model || !this.config) throw new StudioError('invalid-config', 'There is no model yet: train one or import a model.json first.');
    const inference = this.inferenceModel(this.model, this.config, pruneLevel);
    try {
      await this.predictWith(inference.model, inference.config, runId, sliceIds, testTimeAugmentation, post);
    } finally {
      if (inference.model !== this.model) inference.model.dispose();
    }
  }

  /** The whole model (every head, probabilities averaged), or a UNet++ pruned to a level: a smaller model of its own. */
  private inferenceModel(model: tf.LayersModel, config: UNetConfig, pruneLevel: number | undefined): { model: tf.LayersModel; config: UNetConfig; pruning: ModelMetadata['pruning'] | null } {
    if (pruneLevel === undefined) return { model, config, pruning: null };
    const pruned = pruneUNetPlusPlus(model, config, pruneLevel);
    return { ...pruned, pruning: { level: pruneLevel, fullDepth: config.depth } };
  }

  private async predictWith(model: tf.LayersModel, config: UNetConfig, runId: string, sliceIds: readonly string[], testTimeAugmentation: boolean, post: PostEvent): Promise<void> {
    await predictEachSlice({ runId, sliceIds, numClasses: config.numClasses, post, sliceOf: (id) => this.slices.get(id), stopAsked: () => this.predictionStopAsked }, async (id, slice, onTile, onRows) => {
      const { width, height, channels } = slice.raw;
      if (channels !== config.inputChannels) {
        throw new StudioError('size-mismatch', `The model expects ${config.inputChannels}-channel images, but slice "${id}" has ${channels}.`);
      }
      const tiling = studioPredictionTiling(config, width, height);
      const tilePx = tiling.inputTilePx;
      this.gpuPool.use(`predict ${tilePx} px`);
      const sized: { model: tf.LayersModel; config: UNetConfig } = tilePx === config.tileSizePx ? { model, config } : rebuildForTileSize(model, config, tilePx);
      // Batch norm folded into the convolutions, ReLU fused (a copy of the weights for this slice).
      const network = predictingNetwork(sized.model, sized.config);
      try {
        await predictTiledRows(network.net, { data: slice.image, width, height, channels }, { ...tiling, testTimeAugmentation, onTile }, onRows);
        return { tilePx };
      } finally {
        network.dispose();
        if (sized.model !== model) sized.model.dispose();
      }
    });
  }

  /** A third-party model: each slice through the rdf's preprocessing (the whole slice), then the same tiling and blending. */
  private async predictForeign(foreign: LoadedForeignModel, runId: string, sliceIds: readonly string[], testTimeAugmentation: boolean, post: PostEvent): Promise<void> {
    await predictEachSlice({ runId, sliceIds, numClasses: foreign.tileModel.numClasses, post, sliceOf: (id) => this.slices.get(id), stopAsked: () => this.predictionStopAsked }, async (id, slice, onTile, onRows) => {
      const { width, height, channels, pixels } = slice.raw;
      if (channels !== 1) {
        throw new StudioError('size-mismatch', `${isolate(foreign.summary.packageName)} takes one-channel (grey) images, but slice "${id}" has ${channels} channels.`);
      }
      const tiling = foreignPredictionTiling(foreign.spec, width, height);
      if (!tiling) throw new StudioError('invalid-config', `${isolate(foreign.summary.packageName)} allows no tile for this slice.`);
      const image = preprocessSlice(foreign.spec, pixels, width, height);
      await predictTiledRows(foreign.tileModel, image, { ...tiling, testTimeAugmentation, onTile }, onRows);
      return { tilePx: tiling.inputTilePx };
    });
  }

  async exportModel(classNames: readonly string[], pruneLevel?: number): Promise<ModelFiles> {
    return this.withModelToExport(classNames, pruneLevel, (model, metadata) => saveModelFiles(model, metadata));
  }

  /**
   * Runs `use` on the model to export and its metadata (model files, ONNX, bioimage.io); training must be
   * paused or stopped. With `pruneLevel` (UNet++) the model is the smaller pruned network, disposed afterwards.
   */
  async withModelToExport<T>(classNames: readonly string[], pruneLevel: number | undefined, use: (model: tf.LayersModel, metadata: ModelMetadata) => Promise<T>): Promise<T> {
    this.assertIdle('export the model');
    if (this.foreign) {
      throw new StudioError('invalid-config', `The current model is the third-party package ${isolate(this.foreign.summary.packageName)}: share that package itself; the studio exports the models it trains or imports as its own files.`);
    }
    if (!this.model || !this.config) throw new StudioError('invalid-config', 'There is no model to export yet: train one first.');
    const { model, config, pruning } = this.inferenceModel(this.model, this.config, pruneLevel);
    try {
      const metadata: ModelMetadata = {
        format: 'unet-studio/1',
        architecture: config,
        ...(pruning ? { pruning } : {}),
        tile: { inputTilePx: config.tileSizePx, outputTilePx: outputSizePx(config.tileSizePx, config), borderPx: borderPx(config) },
        normalisation: this.normalisation,
        classNames: modelClassNames(classNames, config.numClasses),
        training: { ...this.history, backend: this.backendName(), savedAt: new Date().toISOString() },
      };
      return await use(model, metadata);
    } finally {
      if (model !== this.model) model.dispose();
    }
  }

  /** A slice's raw pixels (the chosen one, else the first), e.g. for a package's test image. */
  rawSlice(preferredId: string | null): RawImage {
    const stored = (preferredId !== null ? this.slices.get(preferredId) : undefined) ?? this.slices.values().next().value;
    if (!stored) throw new StudioError('invalid-config', 'Load an image first: the package needs one to compute its test tensors and cover.');
    const { pixels, width, height, channels } = stored.raw;
    return { data: pixels, width, height, channels };
  }

  /** Atomic: every check (loadModelFiles) runs before the current model is touched; the swap comes last. */
  async importModel(modelJson: string, weights: readonly ArrayBuffer[]): Promise<ModelMetadata> {
    if (this.job) {
      throw new StudioError('invalid-config', this.job.isPaused
        ? 'Training is paused: stop it before importing a model (the paused run would go on training the model the import replaces).'
        : 'Training is running: stop it before importing a model.');
    }
    const { model, metadata } = await loadModelFiles(modelJson, weights);
    // The slices as this model wants them, made before anything is swapped (running out of memory here changes nothing).
    let renormalised: Map<string, StoredSlice> | null = null;
    if (JSON.stringify(metadata.normalisation) !== JSON.stringify(this.normalisation)) {
      try {
        renormalised = renormalise(this.slices, this.normalisation, metadata.normalisation);
      } catch (error) {
        model.dispose();
        throw error;
      }
    }
    this.model?.dispose();
    this.dropForeign();
    this.model = model;
    this.config = metadata.architecture;
    this.history = { steps: metadata.training.steps, preset: metadata.training.preset, finalLoss: metadata.training.finalLoss, bestValidationLoss: metadata.training.bestValidationLoss };
    if (renormalised) {
      this.normalisation = metadata.normalisation;
      for (const [id, slice] of renormalised) this.slices.set(id, slice);
    }
    this.checkpoint.clear();
    // The import has happened: a failed copy must not report it as failed, it only leaves nothing kept.
    await this.checkpoint.take(() => model.getWeights(), this.history.steps, true).catch((error: unknown) => console.warn('Could not keep a copy of the imported weights:', error));
    return metadata;
  }

  /**
   * A third-party bioimage.io package (predict only). Atomic like importModel: the package is read,
   * checked and its test output reproduced (loadForeignModel) before the current model is touched.
   */
  async importForeignModel(files: readonly PackageEntry[], packageName: string): Promise<ForeignModelSummary> {
    if (this.job) throw new StudioError('invalid-config', 'Stop training before importing a model: the run trains the current model, and the import would replace it under it.');
    const loaded = await loadForeignModel(files, packageName);
    this.model?.dispose();
    this.model = null;
    this.config = null;
    this.dropForeign();
    this.foreign = loaded;
    this.history = { steps: 0, preset: 'none', finalLoss: null, bestValidationLoss: null };
    this.checkpoint.clear();
    return loaded.summary;
  }

  private dropForeign(): void {
    const old = this.foreign;
    this.foreign = null;
    void old?.dispose().catch((error: unknown) => console.warn('Could not release the third-party model:', error));
  }

  /**
   * The backend died (a lost GPU device): every tensor went with it. Ends the training run at
   * once and forgets the model; the slices live in ordinary memory and stay. Call
   * restoreOnNewBackend once another backend runs.
   */
  abandonBackend(): { trainingRunId: string | null; hadModel: boolean } {
    const job = this.job;
    this.job = null;
    job?.abandon();
    // A third-party tfjs model's tensors went with the backend too; an ONNX one lives in onnxruntime's own heap.
    const foreignLost = this.foreign?.spec.weights.kind === 'tensorflow_js';
    const hadModel = this.model !== null || foreignLost;
    this.model = null; // not disposed: its backend is gone
    if (foreignLost) this.foreign = null;
    return { trainingRunId: job?.runId ?? null, hadModel };
  }

  /** Rebuilds the model from the last kept weights on the current backend; returns their step, or null when none were kept. */
  restoreOnNewBackend(): number | null {
    const step = this.checkpoint.step;
    if (!this.config || step === null) {
      this.config = null;
      return null;
    }
    const model = buildUNet(this.config, 1);
    this.checkpoint.restoreInto(model);
    this.model = model;
    this.history = { ...this.history, steps: step };
    return step;
  }

  /**
   * The model for a training run: the current one when its architecture matches (at the new tile
   * size), else a fresh one. Returns whether the current weights carry on.
   */
  private useModelFor(unet: UNetConfig, freshWeights: boolean, seed: number): boolean {
    const sameArchitecture = this.config !== null && sameNetwork(this.config, unet);
    if (this.model && this.config && sameArchitecture && !freshWeights) {
      if (this.config.tileSizePx !== unet.tileSizePx) {
        const resized = rebuildForTileSize(this.model, this.config, unet.tileSizePx);
        this.model.dispose();
        this.model = resized.model;
      }
      this.config = unet;
      return true;
    }
    this.model?.dispose();
    this.model = buildUNet(unet, seed);
    this.config = unet;
    this.checkpoint.clear();
    return false;
  }

  private assertIdle(what: string): void {
    if (this.job && !this.job.isPaused) throw new StudioError('invalid-config', `Training is running: pause or stop it to ${what}.`);
  }
}

/** Refuses up front a step the wasm heap cannot hold: otherwise it fails minutes later, deep in a kernel. */
function assertFitsWasmHeap(unet: UNetConfig, batchSize: number): void {
  const needed = estimateWasmTrainingHeapBytes(unet, batchSize);
  if (needed <= WASM_TRAINING_BUDGET_BYTES) return;
  const fits = largestWasmTrainingTilePx(unet, batchSize);
  const gib = (bytes: number) => (bytes / 2 ** 30).toFixed(1);
  throw new StudioError('out-of-memory',
    `Training this network at ${unet.tileSizePx} px tiles in batches of ${batchSize} needs about ${gib(needed)} GiB of WebAssembly memory, ` +
    `more than the CPU (wasm) backend can safely plan for (${gib(WASM_TRAINING_BUDGET_BYTES)} of its ${gib(WASM_HEAP_LIMIT_BYTES)} GiB). ` +
    (fits !== null ? `Tiles up to ${fits} px fit${batchSize > 1 ? ' at this batch size' : ''}: choose one of those, or train on a GPU (WebGPU).` : 'Use a smaller batch or network, or train on a GPU (WebGPU).'));
}

/** "depth 4, 16 channels, same padding, batch norm, 2 classes": what tells two U-Nets apart. */
function describeArchitecture(config: UNetConfig): string {
  return `${config.architecture === 'unetpp' ? `UNet++${hasDeepSupervision(config) ? ' with deep supervision' : ''}, ` : ''}depth ${config.depth}, ${config.baseChannels} channels, ${config.padding} padding${config.batchNorm ? ', batch norm' : ''}, ` +
    `${config.inputChannels} input channel${config.inputChannels === 1 ? '' : 's'}, ${config.numClasses} classes`;
}



