/**
 * The page <-> engine worker protocol. Every message carries the `runId` of the
 * request it belongs to; errors travel as data. Both unions are switched on
 * exhaustively (a `never` default), so adding a message type is a compile error
 * until both sides handle it. Pixel buffers are transferred, not copied.
 */
import type { PackageInfo } from '../core/export/bioimageio/packageInfo';
import type { PixelArray, PixelDType } from '../core/image/imageStack';
import type { PixelRect } from '../core/image/pixelRect';
import type { ModelFiles } from '../core/model/modelFiles';
import type { ModelMetadata } from '../core/model/modelMetadata';
import type { UNetConfig } from '../core/model/unetConfig';
import type { Tile } from '../core/predict/planTiles';
import type { TrainingSettings } from '../core/train/trainingSettings';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface BackendAttempt {
  readonly backend: BackendName;
  /** Why this backend was not used; absent for the one that was. */
  readonly failure?: string;
}

export interface BackendReport {
  readonly backend: BackendName;
  /** One sentence for the user: why this backend runs. */
  readonly reason: string;
  /** GPU adapter description where the browser tells it (e.g. "SwiftShader"). */
  readonly adapter?: string;
  /** The chosen GPU backend runs on a software renderer (no GPU): the user asked for it, or nothing faster started. */
  readonly software?: boolean;
  /** WebAssembly threads the engine uses (wasm only): more than 1 only in a cross-origin isolated page. */
  readonly threads?: number;
  readonly attempts: readonly BackendAttempt[];
}

/** The engine's memory use after a step or a slice (see engineMemory.ts for what each backend counts). */
export interface EngineMemory {
  readonly bytes: number;
  /** What `bytes` counts, in words for the user (e.g. "WebAssembly heap, high-water mark"). */
  readonly what: string;
}

export interface EngineErrorData {
  readonly code: string;
  readonly message: string;
  /** What the engine was doing: "start-up", "training", "prediction", ... */
  readonly phase: string;
}

/** One slice as the page holds it: raw pixels (normalised in the worker) and optional labels. */
export interface SliceData {
  readonly id: string;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly dtype: PixelDType;
  readonly pixels: PixelArray;
  /** Classes per pixel (UNLABELLED = -1 where not annotated); null: no labels yet. */
  readonly classes: Int32Array | null;
  /** Instance ids when the labels came as an instance map. */
  readonly instances: Int32Array | null;
}

/** A third-party bioimage.io model the engine holds (predict only), as the page shows it. */
export interface ForeignModelSummary {
  /** The rdf's name. */
  readonly name: string;
  /** The file the user chose (for messages). */
  readonly packageName: string;
  readonly formatVersion: string;
  readonly weights: 'onnx' | 'tensorflow_js';
  /** Its output channels read as classes (1 channel: background and foreground). */
  readonly classNames: readonly string[];
  /** What the studio took for granted, one sentence each. */
  readonly assumptions: readonly string[];
  /** The largest difference from the package's own test output, reproduced at import; null: it has none. */
  readonly testMaxAbsDifference: number | null;
}

/** A file of a model package, by its base name. */
export interface PackageFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export type EngineRequest =
  | { readonly type: 'engine/init'; readonly runId: string; readonly backends?: readonly BackendName[] }
  | { readonly type: 'selftest/parity'; readonly runId: string; readonly config: UNetConfig; readonly seed: number }
  | { readonly type: 'selftest/train'; readonly runId: string; readonly config: UNetConfig; readonly steps: number; readonly learningRate: number; readonly seed: number }
  /** Adds or replaces a slice (e.g. after painting: the same id with new classes). */
  | { readonly type: 'dataset/put'; readonly runId: string; readonly slice: SliceData }
  | { readonly type: 'dataset/remove'; readonly runId: string; readonly sliceId: string }
  /**
   * Painted labels: the classes of `rect` (row-major, rect.width x rect.height) replace the slice's there,
   * and any imported instance map is dropped. A stroke sends its rectangle, not the whole slice.
   */
  | { readonly type: 'dataset/labels'; readonly runId: string; readonly sliceId: string; readonly rect: PixelRect; readonly classes: Int32Array }
  /** Trains from the current weights when the architecture matches them, else from a fresh network. */
  | { readonly type: 'train/start'; readonly runId: string; readonly settings: TrainingSettings; readonly freshWeights: boolean }
  /**
   * Pauses between steps. With `afterStep`, once that many steps are done instead (at once when they
   * already are): a checkpoint at an exact step, as benches take them. A later pause replaces it.
   */
  | { readonly type: 'train/pause'; readonly runId: string; readonly afterStep?: number }
  | { readonly type: 'train/resume'; readonly runId: string }
  | { readonly type: 'train/stop'; readonly runId: string }
  /** Ends the prediction in flight after its current tile (a control: it does not wait behind the queue). */
  | { readonly type: 'predict/stop'; readonly runId: string }
  /** pruneLevel (UNet++): predict with the network pruned to that level; absent, with every head, their probabilities averaged. */
  | { readonly type: 'predict/start'; readonly runId: string; readonly sliceIds: readonly string[]; readonly testTimeAugmentation: boolean; readonly pruneLevel?: number }
  /** pruneLevel (UNet++): export the smaller network pruned to that level; absent, the whole model. */
  | { readonly type: 'model/export'; readonly runId: string; readonly classNames: readonly string[]; readonly pruneLevel?: number }
  /** The model as an .onnx file (NCHW, probabilities out); pruneLevel as for model/export. */
  | { readonly type: 'model/export-onnx'; readonly runId: string; readonly classNames: readonly string[]; readonly pruneLevel?: number }
  /** A bioimage.io model package; its test tensors and cover come from slice `testSliceId` (else the first); pruneLevel as for model/export. */
  | {
      readonly type: 'model/export-bioimageio'; readonly runId: string; readonly classNames: readonly string[];
      /** The classes' colours ('#rrggbb' or null: the default) for the cover; absent: every default. */
      readonly classColours?: readonly (string | null)[];
      readonly info: PackageInfo; readonly testSliceId: string | null; readonly pruneLevel?: number;
    }
  | { readonly type: 'model/import'; readonly runId: string; readonly modelJson: string; readonly weights: readonly ArrayBuffer[] }
  /** A third-party bioimage.io package (its files, unzipped): checked, its test output reproduced, then it replaces the model (predict only). */
  | { readonly type: 'model/import-foreign'; readonly runId: string; readonly packageName: string; readonly files: readonly PackageFile[] };

export type EngineEvent =
  | { readonly type: 'engine/ready'; readonly runId: string; readonly report: BackendReport }
  /**
   * The GPU device was lost (driver reset, GPU removed, reclaimed by the browser) and the engine
   * started a new backend (`report`). A training run in flight ended; the model is rebuilt from the
   * weights kept at `keptStep` (null: none were kept, the model is gone). Slices are untouched.
   */
  | {
      readonly type: 'engine/device-lost';
      /** The training run that ended, else "engine". */
      readonly runId: string;
      readonly reason: string;
      readonly message: string;
      readonly report: BackendReport;
      readonly trainingStopped: boolean;
      readonly hadModel: boolean;
      readonly keptStep: number | null;
    }
  | {
      readonly type: 'selftest/parity-result';
      readonly runId: string;
      readonly backend: BackendName;
      /** max |backend - cpu| / max |cpu| over the logits of one forward pass. */
      readonly relativeError: number;
      readonly maxAbsDiff: number;
      readonly outputShape: readonly number[];
    }
  | { readonly type: 'selftest/train-step'; readonly runId: string; readonly step: number; readonly loss: number; readonly elapsedMs: number }
  | { readonly type: 'selftest/train-done'; readonly runId: string; readonly losses: readonly number[]; readonly numTensorsLeaked: number }
  | { readonly type: 'dataset/updated'; readonly runId: string; readonly sliceIds: readonly string[] }
  | {
      readonly type: 'train/started'; readonly runId: string; readonly totalSteps: number; readonly splitDescription: string;
      /** The slices validation scores (the page names them). */
      readonly validationSliceIds: readonly string[];
      readonly fromStep: number; readonly parameterCount: number;
    }
  | {
      readonly type: 'train/progress';
      readonly runId: string;
      readonly step: number;
      readonly totalSteps: number;
      readonly loss: number;
      readonly learningRate: number;
      readonly tilesPerSecond: number;
      readonly etaSeconds: number;
      /** The largest engine memory sample of this run so far. */
      readonly memory: EngineMemory;
    }
  | { readonly type: 'train/validation'; readonly runId: string; readonly step: number; readonly loss: number; readonly foregroundIoU: number; readonly isBest: boolean }
  /** Something the user should know that did not stop training (e.g. the NaN guard stepped in). */
  | { readonly type: 'train/notice'; readonly runId: string; readonly message: string }
  | { readonly type: 'train/paused'; readonly runId: string; readonly step: number }
  | { readonly type: 'train/resumed'; readonly runId: string; readonly step: number }
  | { readonly type: 'train/done'; readonly runId: string; readonly reason: 'completed' | 'stopped'; readonly steps: number; readonly bestStep: number | null }
  | {
      readonly type: 'predict/tile';
      readonly runId: string;
      readonly sliceId: string;
      readonly tile: Tile;
      /** tile.outHeight x tile.outWidth x numClasses. */
      readonly probabilities: Float32Array;
      readonly numClasses: number;
      readonly index: number;
      readonly total: number;
    }
  | {
      readonly type: 'predict/slice-done';
      readonly runId: string;
      readonly sliceId: string;
      readonly width: number;
      readonly height: number;
      readonly numClasses: number;
      /** height x width x (numClasses - 1) softmax probabilities of classes 1.., quantised (core/predict/quantiseProbabilities). */
      readonly quantised: Uint16Array;
      /** Objects of class 1 (argmax), touching ones separated by a distance-transform watershed. */
      readonly instances: Int32Array;
      readonly instanceCount: number;
      readonly tilePx: number;
      /** How long the engine took for this slice (tiles, blending, instances), ms. */
      readonly elapsedMs: number;
      /** The largest engine memory sample of this prediction run so far. */
      readonly memory: EngineMemory;
    }
  /** stopped: the user stopped it (predict/stop); slices done before keep their results, the one in flight its tiles so far. */
  | { readonly type: 'predict/done'; readonly runId: string; readonly stopped?: boolean }
  | { readonly type: 'model/exported'; readonly runId: string; readonly files: ModelFiles }
  | { readonly type: 'model/onnx-exported'; readonly runId: string; readonly bytes: Uint8Array }
  | { readonly type: 'model/bioimageio-exported'; readonly runId: string; readonly zip: Uint8Array }
  | { readonly type: 'model/imported'; readonly runId: string; readonly metadata: ModelMetadata }
  | { readonly type: 'model/foreign-imported'; readonly runId: string; readonly summary: ForeignModelSummary }
  | { readonly type: 'error'; readonly runId: string; readonly error: EngineErrorData };

export type EngineEventOf<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>;
