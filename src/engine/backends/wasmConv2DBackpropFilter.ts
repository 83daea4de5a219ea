import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { isPatchConv, kernelCalls, patchFilterGradient, perTapFilterGradient } from './convGradientsByMatmul';
import { channelMajorFilterGradient, fitsChannelMajorGrid } from './wasmChannelMajorFilterGradient';

type PathInfo = Pick<tf.backend_util.Conv2DInfo, 'strideHeight' | 'strideWidth' | 'dilationHeight' | 'dilationWidth' | 'batchSize' | 'outHeight' | 'outWidth' |
  'inChannels' | 'outChannels' | 'filterHeight' | 'filterWidth' | 'inHeight' | 'inWidth' | 'padInfo'>;

export type FilterGradientPath = 'patch' | 'channel-major' | 'per-tap';
let forcedPath: FilterGradientPath | null = null;

/** Makes every layer take one path where it can (null: the usual choice); for parity tests and benchmarks. */
export function forceFilterGradientPath(path: FilterGradientPath | null): void {
  forcedPath = path;
}

/**
 * Which way this kernel computes a layer's filter gradient: one rearrangement and one matmul (a
 * filter as large as its stride: the up-conv), a matmul per tap over a channel-major copy of x
 * (every other stride-1 layer: measured fastest on every U-Net layer shape, fast preset and paper
 * net, bench/profile/filterGradientPaths.ts), or a matmul per tap over strided slices (the rest).
 */
export function filterGradientPath(info: PathInfo): FilterGradientPath {
  if (isPatchConv(info)) return 'patch';
  if (forcedPath === 'per-tap') return 'per-tap';
  return fitsChannelMajorGrid(info) ? 'channel-major' : 'per-tap';
}

/**
 * tfjs 4.22's wasm backend has no Conv2DBackpropFilter (tfjs issue 8474), so it cannot train.
 * This one takes the path filterGradientPath chooses (wasmChannelMajorFilterGradient.ts,
 * convGradientsByMatmul.ts).
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
  if (path === 'channel-major') return channelMajorFilterGradient(info, x, dy, filterShape, backend as BackendWasm, calls.run);
  return perTapFilterGradient(calls, info, x, dy, filterShape);
}

const kernelConfig: KernelConfig = { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2DBackpropFilter };

/** Registers the kernel once (replacing any existing one, e.g. from a newer tfjs). */
export function registerWasmConv2DBackpropFilter(): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')?.kernelFunc === conv2DBackpropFilter) return;
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
  tf.registerKernel(kernelConfig);
}
