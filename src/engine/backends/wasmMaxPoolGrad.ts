import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { replaceKernel } from './replaceKernel';

/**
 * Max-pool gradient for windows that do not overlap (filter = stride, no padding: the U-Net's 2x2
 * stride-2 pool), in one pass over the wasm heap: each window's dy goes to its first largest input
 * in row-major order, as the cpu backend does (ties to the first; a window of NaN or -Infinity
 * gets none). tfjs 4.22's wasm kernel took 3 % of a fast-preset step. Other pools keep it.
 */
let original: KernelFunc | null = null;

function maxPoolGrad(args: Parameters<KernelFunc>[0]): TensorInfo | TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const { padInfo } = info;
  const disjoint = info.filterHeight === info.strideHeight && info.filterWidth === info.strideWidth &&
    padInfo.top === 0 && padInfo.left === 0 && padInfo.bottom === 0 && padInfo.right === 0 && input.dtype === 'float32';
  if (!disjoint) return original!(args);
  const wasm = backend as BackendWasm;
  const dx = wasm.makeOutput(input.shape, 'float32');
  const xs = wasm.typedArrayFromHeap(input) as Float32Array;
  const dys = wasm.typedArrayFromHeap(dy) as Float32Array;
  const dxs = wasm.typedArrayFromHeap(dx) as Float32Array;
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, filterHeight, filterWidth } = info;
  // Rows or columns no window covers get no gradient.
  if (outHeight * filterHeight !== inHeight || outWidth * filterWidth !== inWidth) dxs.fill(0);
  const rowStride = inWidth * channels;
  const pairs = filterHeight === 2 && filterWidth === 2;
  for (let n = 0; n < batchSize; n++) {
    for (let i = 0; i < outHeight; i++) {
      for (let j = 0; j < outWidth; j++) {
        const corner = ((n * inHeight + i * filterHeight) * inWidth + j * filterWidth) * channels;
        const out = ((n * outHeight + i) * outWidth + j) * channels;
        for (let c = 0; c < channels; c++) {
          const g = dys[out + c] as number;
          const k00 = corner + c;
          if (pairs) { // the U-Net's pool, unrolled: all four written, dy to the first largest
            const k01 = k00 + channels;
            const k10 = k00 + rowStride;
            const k11 = k10 + channels;
            const v00 = xs[k00] as number;
            const v01 = xs[k01] as number;
            const v10 = xs[k10] as number;
            const v11 = xs[k11] as number;
            let best = Number.NEGATIVE_INFINITY;
            let at = -1;
            if (v00 > best) { best = v00; at = 0; }
            if (v01 > best) { best = v01; at = 1; }
            if (v10 > best) { best = v10; at = 2; }
            if (v11 > best) at = 3;
            dxs[k00] = at === 0 ? g : 0;
            dxs[k01] = at === 1 ? g : 0;
            dxs[k10] = at === 2 ? g : 0;
            dxs[k11] = at === 3 ? g : 0;
            continue;
          }
          let best = Number.NEGATIVE_INFINITY;
          let at = -1;
          for (let a = 0; a < filterHeight; a++) {
            for (let b = 0; b < filterWidth; b++) {
              const k = k00 + a * rowStride + b * channels;
              dxs[k] = 0;
              const v = xs[k] as number;
              if (v > best) {
                best = v;
                at = k;
              }
            }
          }
          if (at >= 0) dxs[at] = g;
        }
      }
    }
  }
  return dx;
}

/** Replaces the wasm kernel once, keeping the original for overlapping or padded pools. */
export function registerWasmMaxPoolGrad(): void {
  original = replaceKernel('wasm', 'MaxPoolGrad', maxPoolGrad) ?? original;
}
