import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelCalls } from './convGradientsByMatmul';
import { isPatchConv, kernelCalls, patchFilterGradient, perTapFilterGradient, withTemporaries } from './convGradientsByMatmul';
import { fitsShiftedViews, shiftedViewsFilterGradient } from './wasmShiftedFilterGradient';

/**
 * Which path wins where, measured in Node (wasm, 1 thread) on the U-Net's 3x3 layers, the filter
 * gradient with its forward conv (bench/profile/filterGradientPaths.ts):
 * - one convolution: wide, shallow maps (256 px with 16-32 channels: 51-89 ms against 61-110 ms
 *   for shifted views and 93-183 ms per tap);
 * - shifted views: the middle (64-128 px, 32-128 channels; the paper's 120 px at 128 and 56 px at
 *   256 channels: 397 / 253 ms against 489-500 / 285-406 ms);
 * - a matmul per tap: small maps (16-32 px, or 28 px at 512 channels), where all three are within
 *   noise of each other and the per-tap slices are cheapest in memory.
 */
const CONV_PATH_MIN_POSITIONS = 32768;
const CONV_PATH_MAX_CHANNELS = 64;
const SHIFTED_PATH_MIN_POSITIONS = 2048;

type PathInfo = Pick<tf.backend_util.Conv2DInfo, 'strideHeight' | 'strideWidth' | 'batchSize' | 'outHeight' | 'outWidth' | 'inChannels' | 'outChannels' |
  'filterHeight' | 'filterWidth' | 'inHeight' | 'inWidth' | 'padInfo'>;

export type FilterGradientPath = 'patch' | 'shifted' | 'convolution' | 'per-tap';
let forcedPath: FilterGradientPath | null = null;

/** Makes every layer take one path where it can (null: the measured choice); for parity tests and benchmarks. */
export function forceFilterGradientPath(path: FilterGradientPath | null): void {
  forcedPath = path;
}

/** Which way this kernel computes a layer's filter gradient: one rearrangement and one matmul, one convolution, or a matmul per filter tap. */
export function filterGradientPath(info: PathInfo): FilterGradientPath {
  if (isPatchConv(info)) return 'patch';
  if (forcedPath && forcedPath !== 'patch') return forcedPath;
  if (info.strideHeight !== 1 || info.strideWidth !== 1) return 'per-tap';
  const positions = info.batchSize * info.outHeight * info.outWidth;
  const shallow = info.inChannels <= CONV_PATH_MAX_CHANNELS && info.outChannels <= CONV_PATH_MAX_CHANNELS;
  if (positions >= CONV_PATH_MIN_POSITIONS && shallow) return 'convolution';
  return positions >= SHIFTED_PATH_MIN_POSITIONS ? 'shifted' : 'per-tap';
}

/**
 * tfjs 4.22's wasm backend has no Conv2DBackpropFilter (tfjs issue 8474), so it cannot train.
 * This one takes the path filterGradientPath chooses: a filter as large as its stride is one
 * rearrangement and one matmul; wide, shallow stride-1 layers one XNNPACK convolution; the middle
 * ones a matmul per tap over views of the padded input (wasmShiftedFilterGradient.ts); small maps
 * a matmul per tap over strided slices (convGradientsByMatmul.ts).
 */
function conv2DBackpropFilter({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (dataFormat !== 'NHWC') throw new Error('The wasm Conv2DBackpropFilter supports NHWC only.');
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast',
  );
  const calls = kernelCalls('wasm', backend as tf.KernelBackend, 'Conv2DBackpropFilter');
  const path = filterGradientPath(info);
  if (path === 'patch') return patchFilterGradient(calls, info, x, dy, filterShape);
  if (path === 'shifted' && fitsShiftedViews(info)) return shiftedViewsFilterGradient(info, x, dy, filterShape, backend as BackendWasm, calls.run);
  if (path === 'convolution' && fitsShiftedViews(info)) return oneConvolutionFilterGradient(calls, info, x, dy);
  return perTapFilterGradient(calls, info, x, dy, filterShape);
}

/**
 * Wide, shallow stride-1 layers: one XNNPACK convolution of x (channels as the batch) with dy as
 * its filter. dW[a, b, c, o] = sum_{i, j, n} xT[c, a + i, b + j, n] * dyT[i, j, n, o], with
 * xT = padded x as [C, H, W, N], dyT = dy as [oh, ow, N, O].
 */
function oneConvolutionFilterGradient(calls: KernelCalls, info: tf.backend_util.Conv2DInfo, x: TensorInfo, dy: TensorInfo): TensorInfo {
  const { padInfo } = info;
  return withTemporaries(calls, (keep) => {
    const { run } = calls;
    const padded = padInfo.top || padInfo.bottom || padInfo.left || padInfo.right
      ? keep(run('PadV2', { x }, { paddings: [[0, 0], [padInfo.top, padInfo.bottom], [padInfo.left, padInfo.right], [0, 0]], constantValue: 0 }))
      : x;
    const xT = keep(run('Transpose', { x: padded }, { perm: [3, 1, 2, 0] }));
    const dyT = keep(run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] }));
    const correlated = keep(run('Conv2D', { x: xT, filter: dyT }, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined as unknown as string })); // [C, k, k, O]
    return run('Transpose', { x: correlated }, { perm: [1, 2, 0, 3] }); // [k, k, C, O]
  });
}

const kernelConfig: KernelConfig = { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2DBackpropFilter };

/** Registers the kernel once (replacing any existing one, e.g. from a newer tfjs). */
export function registerWasmConv2DBackpropFilter(): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')?.kernelFunc === conv2DBackpropFilter) return;
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
  tf.registerKernel(kernelConfig);
}
