/**
 * A tfjs LayersModel as plain data: layers in topological order, each with its class, its config,
 * the layers it reads and its weights. The ONNX converter works on this, so it needs no tfjs and
 * follows whatever network the builder made (U-Net, UNet++), not the builder's internals.
 */
export interface LayerWeight {
  /** tfjs's shape (NHWC conventions: a conv kernel is [kh, kw, in, out]). */
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

export interface GraphLayer {
  readonly name: string;
  /** tfjs's class name: 'Conv2D', 'BatchNormalization', 'Cropping2D', ... */
  readonly className: string;
  readonly config: Readonly<Record<string, unknown>>;
  /** Names of the layers whose (single) outputs this layer reads, in order. */
  readonly inputs: readonly string[];
  /** By short weight name: 'kernel', 'bias', 'gamma', 'beta', 'moving_mean', 'moving_variance'. */
  readonly weights: ReadonlyMap<string, LayerWeight>;
}

export interface LayerGraph {
  readonly name: string;
  /** The model's one input layer: its name and tfjs shape [batch, height, width, channels]. */
  readonly input: { readonly name: string; readonly shape: readonly (number | null)[] };
  readonly layers: readonly GraphLayer[];
  /** The layer whose output is the model's output, and that output's tfjs shape [batch, height, width, channels]. */
  readonly output: { readonly name: string; readonly shape: readonly (number | null)[] };
}
