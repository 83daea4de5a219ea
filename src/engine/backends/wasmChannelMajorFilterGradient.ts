import type * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { forgetView, view } from './wasmHeapViews';

type Run = (name: string, inputs: Record<string, TensorInfo> | TensorInfo[], attrs?: NamedAttrMap) => TensorInfo;

/**
 * A stride-1 filter gradient as one matmul per filter tap in which dy is the matrix XNNPACK packs,
 * so it packs it once for all taps (tfjs's wasm BatchMatMul is XNNPACK's fully-connected operator
 * with its second input as the weights, cached by that input), and each tap's rows are a zero-copy
 * view of x laid out channel by channel. The earlier paths put x second (a matmul per tap over
 * views of x in pixel order, or one XNNPACK convolution with dy as its filter): XNNPACK then
 * repacked an input-sized matrix for every tap, which took most of their time. Measured (Node,
 * wasm, 1 thread, the kernel alone): 256 px 16 -> 16 channels 36 -> 18 ms, 128 px 32 -> 32
 * 28 -> 14 ms, 32 px 128 -> 128 15 -> 12 ms; the paper's 250 px 64 -> 64 506 -> 216 ms, 120 px
 * 128 -> 128 227 -> 153 ms; a forward conv of the same layer takes 10-12 / 156 / 129 ms.
 *
 * x is written once, zero-padded and channel-major, as xT[c, q] on a grid of rows of Wp = ow + kw - 1
 * pixels, imageRows = oh + kh rows per image (one zero row of slack), S = N * imageRows * Wp
 * positions per channel; dy is padded to the same grid, [S, O] (zero right of ow and below oh).
 * Tap (a, b) pairs dy's position q with x's q + a*Wp + b, so its matrix is xT's flat memory from
 * a*Wp + b on, read as [C, S]: row c runs past the end of channel c into the start of channel c + 1
 * only for q >= S - (a*Wp + b), where dy is zero (its last kh rows), and the last row into a slack of
 * zeros. dW[a, b] = xTap [C, S] x dy [S, O], already in the filter's [C, O] order.
 */
export function channelMajorFilterGradient(info: tf.backend_util.Conv2DInfo, x: TensorInfo, dy: TensorInfo, filterShape: number[],
  backend: BackendWasm, run: Run): TensorInfo {
  const { batchSize, inChannels, outChannels, outHeight, outWidth, filterHeight, filterWidth, padInfo, inHeight, inWidth } = info;
  const rowPx = outWidth + filterWidth - 1; // Wp
  const imageRows = outHeight + filterHeight;
  const positions = batchSize * imageRows * rowPx; // S
  const slack = (filterHeight - 1) * rowPx + filterWidth - 1;
  const temporaries: TensorInfo[] = [];
  const keep = (t: TensorInfo) => { temporaries.push(t); return t; };
  const views: TensorInfo[] = [];
  try {
    const xT = keep(backend.makeOutput([inChannels * positions + slack], 'float32'));
    writeChannelMajor(backend, x, xT, { batchSize, inHeight, inWidth, inChannels, imageRows, rowPx, top: padInfo.top, left: padInfo.left });
    const dyGrid = keep(backend.makeOutput([positions * outChannels], 'float32'));
    writeGrid(backend, dy, dyGrid, { batchSize, outHeight, outWidth, outChannels, imageRows, rowPx });
    const dyMatrix = view(backend, dyGrid, 0, [1, positions, outChannels], views);
    const taps: TensorInfo[] = [];
    for (let a = 0; a < filterHeight; a++) {
      for (let b = 0; b < filterWidth; b++) {
        const seen = view(backend, xT, a * rowPx + b, [1, inChannels, positions], views);
        taps.push(keep(run('BatchMatMul', { a: seen, b: dyMatrix }, { transposeA: false, transposeB: false }))); // [1, C, O]
      }
    }
    const stacked = taps.length === 1 ? (taps[0] as TensorInfo) : keep(run('Concat', taps, { axis: 0 })); // [taps, C, O]
    return run('Reshape', { x: stacked }, { shape: filterShape });
  } finally {
    for (const v of views) forgetView(backend, v);
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

/** Checks the padded grid this path assumes: stride 1, and x (padded) exactly oh + kh - 1 by ow + kw - 1. */
export function fitsChannelMajorGrid(info: Pick<tf.backend_util.Conv2DInfo, 'strideHeight' | 'strideWidth' | 'dilationHeight' | 'dilationWidth' |
  'inHeight' | 'inWidth' | 'outHeight' | 'outWidth' | 'filterHeight' | 'filterWidth' | 'padInfo'>): boolean {
  const { padInfo } = info;
  return info.strideHeight === 1 && info.strideWidth === 1 && info.dilationHeight === 1 && info.dilationWidth === 1 &&
    info.inHeight + padInfo.top + padInfo.bottom === info.outHeight + info.filterHeight - 1 &&
    info.inWidth + padInfo.left + padInfo.right === info.outWidth + info.filterWidth - 1;
}

/**
 * dyGrid[n, r, w, o] = dy[n, r, w, o] for r < oh, w < ow, else 0: dy's rows copied whole (each is
 * contiguous) into the grid's wider rows. tfjs's wasm PadV2 took 13 ms for a 256 px batch of 2 at 16
 * channels (and 0.5 ms at 64 px, 8 channels: ~7 % of a tiny-preset step over its 13 filter gradients).
 */
function writeGrid(backend: BackendWasm, dy: TensorInfo, dyGrid: TensorInfo,
  g: { batchSize: number; outHeight: number; outWidth: number; outChannels: number; imageRows: number; rowPx: number }): void {
  const source = backend.typedArrayFromHeap(dy) as Float32Array;
  const target = backend.typedArrayFromHeap(dyGrid) as Float32Array;
  const { batchSize, outHeight, outWidth, outChannels, imageRows, rowPx } = g;
  const sourceRow = outWidth * outChannels;
  const targetRow = rowPx * outChannels;
  target.fill(0);
  for (let n = 0; n < batchSize; n++) {
    for (let r = 0; r < outHeight; r++) {
      const from = (n * outHeight + r) * sourceRow;
      target.set(source.subarray(from, from + sourceRow), (n * imageRows + r) * targetRow);
    }
  }
}

interface Grid { batchSize: number; inHeight: number; inWidth: number; inChannels: number; imageRows: number; rowPx: number; top: number; left: number }

/** xT[c, n, r, w] = x[n, r - top, w - left, c], zero outside x (and in the slack after the last channel). */
function writeChannelMajor(backend: BackendWasm, x: TensorInfo, xT: TensorInfo, g: Grid): void {
  const source = backend.typedArrayFromHeap(x) as Float32Array;
  const target = backend.typedArrayFromHeap(xT) as Float32Array;
  target.fill(0);
  const { batchSize, inHeight, inWidth, inChannels, imageRows, rowPx, top, left } = g;
  const perChannel = batchSize * imageRows * rowPx;
  for (let n = 0; n < batchSize; n++) {
    for (let i = 0; i < inHeight; i++) {
      const sourceRow = (n * inHeight + i) * inWidth * inChannels;
      const targetRow = (n * imageRows + i + top) * rowPx + left;
      for (let c = 0; c < inChannels; c++) {
        let from = sourceRow + c;
        let to = c * perChannel + targetRow;
        for (let j = 0; j < inWidth; j++, from += inChannels, to++) target[to] = source[from] as number;
      }
    }
  }
}
