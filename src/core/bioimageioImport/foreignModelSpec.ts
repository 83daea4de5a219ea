/**
 * A third-party bioimage.io model as the studio runs it: what readForeignRdf keeps of rdf.yaml
 * (format 0.5, or the common 0.4 layout) once every check has passed.
 */

/** The axes the studio can run: batch, channel and the two image axes (z, time or index are refused). */
export type TensorAxis = 'b' | 'c' | 'y' | 'x';

/**
 * One processing step, bioimage.io's meaning: applied to the whole image before the model (input), or to
 * each tile's output after it (output). Statistics are per sample (the whole slice), never per dataset.
 */
export type ProcessingOp =
  /** (x - p_low) / (p_high - p_low + eps), NumPy's linear percentiles of the image. */
  | { readonly kind: 'scale_range'; readonly lowPercent: number; readonly highPercent: number; readonly eps: number }
  /** (x - mean) / (std + eps), the image's mean and population standard deviation. */
  | { readonly kind: 'zero_mean_unit_variance'; readonly eps: number }
  /** (x - mean) / (std + eps) with the numbers the rdf gives. */
  | { readonly kind: 'fixed_zero_mean_unit_variance'; readonly mean: number; readonly std: number; readonly eps: number }
  | { readonly kind: 'scale_linear'; readonly gain: number; readonly offset: number }
  /** Bounds as numbers, or as percentiles of the image (input only); null: unbounded on that side. */
  | { readonly kind: 'clip'; readonly min: number | null; readonly max: number | null; readonly minPercent: number | null; readonly maxPercent: number | null }
  | { readonly kind: 'sigmoid' }
  /** Over the channel axis (outputs only). */
  | { readonly kind: 'softmax' }
  | { readonly kind: 'binarize'; readonly threshold: number };

/** A side's valid sizes: min + n * step (step 0: exactly min). */
export interface SizeRule {
  readonly minPx: number;
  readonly stepPx: number;
}

export interface ForeignModelSpec {
  readonly name: string;
  /** As written in rdf.yaml, e.g. "0.5.7" or "0.4.10". */
  readonly formatVersion: string;
  /** ONNX is preferred where a package has both. `source` is a path inside the package. */
  readonly weights: { readonly kind: 'onnx' | 'tensorflow_js'; readonly source: string };
  readonly input: {
    readonly id: string;
    /** The model's own axis order, e.g. ['b', 'c', 'y', 'x']. */
    readonly axes: readonly TensorAxis[];
    readonly sizes: { readonly y: SizeRule; readonly x: SizeRule };
    readonly preprocessing: readonly ProcessingOp[];
  };
  readonly output: {
    readonly id: string;
    readonly axes: readonly TensorAxis[];
    readonly channels: number;
    /** Output pixels discarded on each side of a tile (bioimage.io's halo). */
    readonly haloPx: number;
    /** Output side = input side + offsetPx (negative for a valid-padded net, which loses a border). */
    readonly offsetPx: number;
    /** Output steps as the rdf lists them; prediction leaves binarize to the threshold slider (predictionPostprocessing). */
    readonly postprocessing: readonly ProcessingOp[];
  };
  /** Output channels read as classes: 1 channel = foreground probability (2 classes), N channels = N classes. */
  readonly classNames: readonly string[];
  /** What the studio took for granted, in words for the user (shown after the import). */
  readonly assumptions: readonly string[];
  /** Paths of the test tensors inside the package; null where the rdf names none. */
  readonly testTensors: { readonly input: string; readonly output: string } | null;
}

/** The output steps prediction applies: binarize is left to the studio's threshold slider (probabilities stay visible). */
export function predictionPostprocessing(spec: ForeignModelSpec): ProcessingOp[] {
  return spec.output.postprocessing.filter((op) => op.kind !== 'binarize');
}
