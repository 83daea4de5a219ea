import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
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

/**
 * A filter as large as its stride with no padding (the U-Net's 2x2 stride-2 up-convs, whose filter
 * gradient this kernel computes with x and dy swapped): every input pixel meets exactly one tap and
 * one output position, so the taps' inputs are x itself, rearranged.
 */
export function isPatchConv(info: Omit<PathInfo, 'batchSize' | 'inChannels' | 'outChannels'>): boolean {
  const { padInfo } = info;
  return info.strideHeight === info.filterHeight && info.strideWidth === info.filterWidth &&
    padInfo.top === 0 && padInfo.bottom === 0 && padInfo.left === 0 && padInfo.right === 0 &&
    info.inHeight === info.outHeight * info.strideHeight && info.inWidth === info.outWidth * info.strideWidth;
}

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
 * A filter as large as its stride is one rearrangement and one matmul; wide, shallow stride-1
 * layers are one convolution; the middle ones a matmul per tap over views of the padded input
 * (wasmShiftedFilterGradient.ts); otherwise this kernel
 * composes it from wasm kernels that exist: for each filter tap (a, b), the strided
 * slice of the (zero-padded) input that the tap sees, times dy, summed over batch and positions
 * (one BatchMatMul against dy transposed once), then the taps concatenated into the filter shape.
 * dW[a, b, c, o] = sum_{n,i,j} x[n, i*sh + a - padTop, j*sw + b - padLeft, c] * dy[n, i, j, o]
 */
function conv2DBackpropFilter({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (dataFormat !== 'NHWC') throw new Error('The wasm Conv2DBackpropFilter supports NHWC only.');
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast',
  );
  const { batchSize, inChannels, outChannels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth, padInfo } = info;
  const run = (name: string, kernelInputs: Record<string, TensorInfo> | TensorInfo[], kernelAttrs: NamedAttrMap = {}): TensorInfo => {
    const kernel = tf.getKernel(name, 'wasm');
    if (!kernel) throw new Error(`The wasm backend lacks ${name}, needed for Conv2DBackpropFilter.`);
    // Concat takes its inputs as an array, the other kernels as a named map.
    return kernel.kernelFunc({ inputs: kernelInputs as Record<string, TensorInfo>, backend, attrs: kernelAttrs }) as TensorInfo;
  };
  const temporaries: TensorInfo[] = [];
  const keep = (t: TensorInfo) => { temporaries.push(t); return t; };
  const release = (t: TensorInfo) => (backend as tf.KernelBackend).disposeData(t.dataId);

  // Temporaries are released in `finally`: a kernel that throws (out of memory) must not leave
  // hundreds of MB behind on the heap for the next step.
  try {
    const padded = padInfo.top || padInfo.bottom || padInfo.left || padInfo.right
      ? keep(run('PadV2', { x }, { paddings: [[0, 0], [padInfo.top, padInfo.bottom], [padInfo.left, padInfo.right], [0, 0]], constantValue: 0 }))
      : x;
    const positions = batchSize * outHeight * outWidth;
    const path = filterGradientPath(info);
    if (path === 'shifted' && fitsShiftedViews(info)) return shiftedViewsFilterGradient(info, x, dy, filterShape, backend as BackendWasm, run);
    if (path === 'patch') {
      // dW[a, b, c, o] = sum_p xT[a, (b, c), p] * dy[p, o], with xT = x as [N*oh, kh, ow, kw*C] -> [kh, kw*C, N*oh, ow]: one pass over x, one matmul.
      // (Rank 4 on purpose: tfjs's wasm Transpose of rank 5 takes a generic path, 20x slower here.)
      const split = keep(run('Reshape', { x }, { shape: [batchSize * outHeight, filterHeight, outWidth, filterWidth * inChannels] }));
      const xT = keep(run('Transpose', { x: split }, { perm: [1, 3, 0, 2] }));
      const xMatrix = keep(run('Reshape', { x: xT }, { shape: [1, filterHeight * filterWidth * inChannels, positions] }));
      const dyMatrix = keep(run('Reshape', { x: dy }, { shape: [1, positions, outChannels] }));
      const product = keep(run('BatchMatMul', { a: xMatrix, b: dyMatrix }, { transposeA: false, transposeB: false })); // [1, kh*kw*C, O]
      return run('Reshape', { x: product }, { shape: filterShape });
    }
    const [, paddedHeight, paddedWidth] = padded.shape as [number, number, number, number];
    if (path === 'convolution' && paddedHeight - outHeight + 1 === filterHeight && paddedWidth - outWidth + 1 === filterWidth) {
      // Wide, shallow layers: one XNNPACK convolution of x (channels as the batch) with dy as its filter.
      // dW[a, b, c, o] = sum_{i, j, n} xT[c, a + i, b + j, n] * dyT[i, j, n, o], with xT = x as [C, H, W, N], dyT = dy as [oh, ow, N, O].
      const xT = keep(run('Transpose', { x: padded }, { perm: [3, 1, 2, 0] }));
      const dyT = keep(run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] }));
      const correlated = keep(run('Conv2D', { x: xT, filter: dyT }, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined as unknown as string })); // [C, k, k, O]
      return run('Transpose', { x: correlated }, { perm: [1, 2, 0, 3] }); // [k, k, C, O]
    }
    const dyMatrix = keep(run('Reshape', { x: dy }, { shape: [1, positions, outChannels] }));
    // dy transposed once: wasm's BatchMatMul is ~3x slower with transposeA than on a transposed copy.
    const dyTransposed = keep(run('Transpose', { x: dyMatrix }, { perm: [0, 2, 1] })); // [1, O, positions]
    const taps: TensorInfo[] = [];
    for (let a = 0; a < filterHeight; a++) {
      for (let b = 0; b < filterWidth; b++) {
        // Each tap's slice is as large as the input: released at once, not after all 9, so the
        // paper's first-level layers (83 MB per slice at 568x568x64) fit the wasm heap.
        const seen = run('StridedSlice', { x: padded }, {
          begin: [0, a, b, 0],
          end: [batchSize, a + (outHeight - 1) * strideHeight + 1, b + (outWidth - 1) * strideWidth + 1, inChannels],
          strides: [1, strideHeight, strideWidth, 1],
          beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0,
        });
        try {
          const seenMatrix = run('Reshape', { x: seen }, { shape: [1, positions, inChannels] });
          try {
            taps.push(keep(run('BatchMatMul', { a: dyTransposed, b: seenMatrix }, { transposeA: false, transposeB: false }))); // [1, O, C]
          } finally {
            release(seenMatrix);
          }
        } finally {
          release(seen);
        }
      }
    }
    const stacked = taps.length === 1 ? (taps[0] as TensorInfo) : keep(run('Concat', taps, { axis: 0 })); // [taps, O, C]
    const tapMajor = keep(run('Transpose', { x: stacked }, { perm: [0, 2, 1] })); // [taps, C, O]
    // Reshape shares its input's data and counts a reference, so every temporary is released once.
    return run('Reshape', { x: tapMajor }, { shape: filterShape });
  } finally {
    for (const t of temporaries) release(t);
  }
}

const kernelConfig: KernelConfig = { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2DBackpropFilter };

/** Registers the kernel once (replacing any existing one, e.g. from a newer tfjs). */
export function registerWasmConv2DBackpropFilter(): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')?.kernelFunc === conv2DBackpropFilter) return;
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
  tf.registerKernel(kernelConfig);
}
