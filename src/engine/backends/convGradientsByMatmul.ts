import * as tf from '@tensorflow/tfjs';
import type { KernelBackend, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

/**
 * Convolution gradients composed from a backend's own kernels (Reshape, Transpose, StridedSlice,
 * BatchMatMul, Concat), shared by our wasm and WebGPU kernels. Each function releases its
 * temporaries in `finally`: a kernel that throws (out of memory) must not leave them behind.
 */
export interface KernelCalls {
  /** Runs the backend's kernel `name` (Concat takes its inputs as an array, the others as a named map). */
  run(name: string, inputs: Record<string, TensorInfo> | TensorInfo[], attrs?: NamedAttrMap): TensorInfo;
  /** Releases a temporary (Reshape outputs share data and count a reference: release each once). */
  release(t: TensorInfo): void;
}

export function kernelCalls(backendName: string, backend: KernelBackend, purpose: string): KernelCalls {
  return {
    run(name, inputs, attrs = {}) {
      const kernel = tf.getKernel(name, backendName);
      if (!kernel) throw new Error(`The ${backendName} backend lacks ${name}, needed for ${purpose}.`);
      return kernel.kernelFunc({ inputs: inputs as Record<string, TensorInfo>, backend, attrs }) as TensorInfo;
    },
    release(t) {
      backend.disposeData(t.dataId);
    },
  };
}

/** Runs `body` with a `keep` that collects temporaries, releasing them all afterwards, also when it throws. */
export function withTemporaries<T>(calls: KernelCalls, body: (keep: (t: TensorInfo) => TensorInfo) => T): T {
  const temporaries: TensorInfo[] = [];
  try {
    return body((t) => { temporaries.push(t); return t; });
  } finally {
    for (const t of temporaries) calls.release(t);
  }
}

/**
 * A kernel's several outputs, made in order (each maker gets the ones made before it); if one throws
 * (out of memory), the outputs already made are released before the error goes on, as no caller ever sees them.
 */
export function allOutputsOrNone(calls: KernelCalls, makers: readonly ((made: readonly TensorInfo[]) => TensorInfo)[]): TensorInfo[] {
  const made: TensorInfo[] = [];
  try {
    for (const make of makers) made.push(make(made));
    return made;
  } catch (error) {
    for (const t of made) calls.release(t);
    throw error;
  }
}

type ConvInfo = tf.backend_util.Conv2DInfo;

/**
 * A filter as large as its stride with no padding (the U-Net's 2x2 stride-2 up-conv; a 1x1 conv):
 * every input pixel meets exactly one tap and one output position, so the taps' inputs are x
 * itself, rearranged.
 */
export function isPatchConv(info: Pick<ConvInfo, 'strideHeight' | 'strideWidth' | 'filterHeight' | 'filterWidth' | 'inHeight' | 'inWidth' | 'outHeight' | 'outWidth' | 'padInfo'>): boolean {
  const { padInfo } = info;
  return info.strideHeight === info.filterHeight && info.strideWidth === info.filterWidth &&
    padInfo.top === 0 && padInfo.bottom === 0 && padInfo.left === 0 && padInfo.right === 0 &&
    info.inHeight === info.outHeight * info.strideHeight && info.inWidth === info.outWidth * info.strideWidth;
}

/**
 * Filter gradient of a patch conv: dW[a, (b, c), o] = sum_p xT[a, (b, c), p] * dy[p, o], with
 * xT = x as [N*oh, kh, ow, kw*C] -> [kh, kw*C, N*oh, ow]: one pass over x, one matmul. (Rank 4 on
 * purpose: tfjs's wasm Transpose of rank 5 takes a generic path, 20x slower.)
 */
export function patchFilterGradient(calls: KernelCalls, info: ConvInfo, x: TensorInfo, dy: TensorInfo, filterShape: number[]): TensorInfo {
  const { batchSize, outHeight, outWidth, filterHeight, filterWidth, inChannels, outChannels } = info;
  const positions = batchSize * outHeight * outWidth;
  return withTemporaries(calls, (keep) => {
    const { run } = calls;
    const split = keep(run('Reshape', { x }, { shape: [batchSize * outHeight, filterHeight, outWidth, filterWidth * inChannels] }));
    const xT = keep(run('Transpose', { x: split }, { perm: [1, 3, 0, 2] }));
    const xMatrix = keep(run('Reshape', { x: xT }, { shape: [1, filterHeight * filterWidth * inChannels, positions] }));
    const dyMatrix = keep(run('Reshape', { x: dy }, { shape: [1, positions, outChannels] }));
    const product = keep(run('BatchMatMul', { a: xMatrix, b: dyMatrix }, { transposeA: false, transposeB: false })); // [1, kh*kw*C, O]
    return run('Reshape', { x: product }, { shape: filterShape });
  });
}

/**
 * tfjs's WebGPU matmul dispatches one workgroup per 32 rows of its output in Y, and WebGPU allows
 * 65535 (tfjs folds only flat dispatches): past ~2.1M rows it throws. A fast-preset training step on
 * 32 tiles of 256 px has 2.1M positions (seen on an H200). Such a product goes as a batch of images,
 * or of image rows, sharing the one filter matrix (BatchMatMul broadcasts it).
 */
const MAX_MATMUL_ROWS = 65535 * 32;

export function rowBatches(batchSize: number, outHeight: number, outWidth: number): number {
  if (batchSize * outHeight * outWidth <= MAX_MATMUL_ROWS) return 1;
  return outHeight * outWidth <= MAX_MATMUL_ROWS ? batchSize : batchSize * outHeight;
}

/**
 * Input gradient of a patch conv (the up-conv's forward pass): dx[n, i*kh + a, j*kw + b, c] =
 * sum_o dy[n, i, j, o] * W[a, b, c, o]. dy [P, O] times W as [O, kh*kw*C] gives
 * [N*oh, ow, kh, kw*C], and one transpose lays the patches out as [N*oh, kh, ow, kw*C] = dx.
 */
export function patchInputGradient(calls: KernelCalls, info: ConvInfo, dy: TensorInfo, filter: TensorInfo): TensorInfo {
  const { batchSize, outHeight, outWidth, filterHeight, filterWidth, inChannels, outChannels } = info;
  const patch = filterHeight * filterWidth * inChannels;
  return withTemporaries(calls, (keep) => {
    const { run } = calls;
    const filterMatrix = keep(run('Reshape', { x: filter }, { shape: [patch, outChannels] }));
    const filterT = keep(run('Transpose', { x: filterMatrix }, { perm: [1, 0] }));
    const filterBatch = keep(run('Reshape', { x: filterT }, { shape: [1, outChannels, patch] }));
    const batches = rowBatches(batchSize, outHeight, outWidth);
    const dyMatrix = keep(run('Reshape', { x: dy }, { shape: [batches, (batchSize * outHeight * outWidth) / batches, outChannels] }));
    const product = keep(run('BatchMatMul', { a: dyMatrix, b: filterBatch }, { transposeA: false, transposeB: false })); // [batches, P / batches, kh*kw*C]
    const patches = keep(run('Reshape', { x: product }, { shape: [batchSize * outHeight, outWidth, filterHeight, filterWidth * inChannels] }));
    const laidOut = keep(run('Transpose', { x: patches }, { perm: [0, 2, 1, 3] }));
    return run('Reshape', { x: laidOut }, { shape: [batchSize, info.inHeight, info.inWidth, inChannels] });
  });
}

/**
 * Filter gradient as a matmul per filter tap: for each tap (a, b), the strided slice of the
 * zero-padded input that the tap sees, times dy (transposed once), then the taps concatenated
 * into the filter shape.
 * dW[a, b, c, o] = sum_{n,i,j} x[n, i*sh + a - padTop, j*sw + b - padLeft, c] * dy[n, i, j, o]
 */
export function perTapFilterGradient(calls: KernelCalls, info: ConvInfo, x: TensorInfo, dy: TensorInfo, filterShape: number[]): TensorInfo {
  const { batchSize, inChannels, outChannels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth, padInfo } = info;
  const positions = batchSize * outHeight * outWidth;
  return withTemporaries(calls, (keep) => {
    const { run, release } = calls;
    const padded = padInfo.top || padInfo.bottom || padInfo.left || padInfo.right
      ? keep(run('PadV2', { x }, { paddings: [[0, 0], [padInfo.top, padInfo.bottom], [padInfo.left, padInfo.right], [0, 0]], constantValue: 0 }))
      : x;
    const dyMatrix = keep(run('Reshape', { x: dy }, { shape: [1, positions, outChannels] }));
    // dy transposed once: wasm's BatchMatMul is ~3x slower with transposeA than on a transposed copy.
    const dyTransposed = keep(run('Transpose', { x: dyMatrix }, { perm: [0, 2, 1] })); // [1, O, positions]
    const taps: TensorInfo[] = [];
    for (let a = 0; a < filterHeight; a++) {
      for (let b = 0; b < filterWidth; b++) {
        // Each tap's slice is as large as the input: released at once, not after all of them, so
        // the paper's first-level layers (83 MB per slice at 568x568x64) fit the wasm heap.
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
    return run('Reshape', { x: tapMajor }, { shape: filterShape });
  });
}
