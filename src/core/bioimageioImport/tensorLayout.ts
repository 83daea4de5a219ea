import type { Raster } from '../sampling/raster';
import type { TensorAxis } from './foreignModelSpec';

/** A tensor in a model's own axis order: row-major data and its dims. */
export interface ModelTensor {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

/** One-channel image pixels (y-major) in the model's axis order, batch and channel of size 1. */
export function toModelLayout(image: Raster<Float32Array>, axes: readonly TensorAxis[]): ModelTensor {
  if (image.channels !== 1) throw new RangeError(`A third-party model takes one channel, not ${image.channels}.`);
  const dims = axes.map((axis) => (axis === 'y' ? image.height : axis === 'x' ? image.width : 1));
  // Only y before x or x before y matters: batch and channel have size 1.
  if (axes.indexOf('y') < axes.indexOf('x')) return { data: Float32Array.from(image.data), dims };
  const data = new Float32Array(image.data.length);
  for (let y = 0; y < image.height; y++) for (let x = 0; x < image.width; x++) data[x * image.height + y] = image.data[y * image.width + x] as number;
  return { data, dims };
}

/** A model's output (batch 1) as an interleaved raster: index = (y * width + x) * channels + c. */
export function fromModelLayout(tensor: ModelTensor, axes: readonly TensorAxis[]): Raster<Float32Array> {
  if (tensor.dims.length !== axes.length) throw new RangeError(`The model returned ${tensor.dims.length} axes where its description lists ${axes.length} (${axes.join('')}).`);
  const size = (axis: TensorAxis) => (axes.includes(axis) ? tensor.dims[axes.indexOf(axis)] as number : 1);
  const height = size('y');
  const width = size('x');
  const channels = size('c');
  if (size('b') !== 1) throw new RangeError(`The model returned a batch of ${size('b')} for one tile.`);
  // Row-major strides of the model's axes.
  const strides = axes.map((_, i) => tensor.dims.slice(i + 1).reduce((a, b) => a * b, 1));
  const stride = (axis: TensorAxis) => (axes.includes(axis) ? strides[axes.indexOf(axis)] as number : 0);
  const [sy, sx, sc] = [stride('y'), stride('x'), stride('c')];
  const data = new Float32Array(height * width * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) data[(y * width + x) * channels + c] = tensor.data[y * sy + x * sx + c * sc] as number;
    }
  }
  return { data, width, height, channels };
}

/**
 * Output channels as class probabilities (index = pixel * classes + k): one channel is the foreground
 * probability p, giving [1 - p, p]; N channels are N classes as they are. Clipped to 0..1.
 */
export function toClassProbabilities(output: Raster<Float32Array>): Float32Array {
  const clip = (v: number) => (v > 1 ? 1 : v > 0 ? v : 0); // NaN -> 0
  const pixels = output.data.length / output.channels;
  if (output.channels !== 1) return output.data.map(clip);
  const out = new Float32Array(pixels * 2);
  for (let i = 0; i < pixels; i++) {
    const p = clip(output.data[i] as number);
    out[2 * i] = 1 - p;
    out[2 * i + 1] = p;
  }
  return out;
}
