import type * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type Run = (name: string, inputs: Record<string, TensorInfo> | TensorInfo[], attrs?: NamedAttrMap) => TensorInfo;

/**
 * A stride-1 filter gradient as one matmul per tap over views of the padded input, no copies:
 * with x zero-padded to rows of Wp = ow + kw - 1 pixels and dy padded to the same row length (zero
 * columns), tap (a, b) pairs dy's flat position q = i*Wp + j with x's flat position q + a*Wp + b.
 * So the tap's input is x's rows from a*Wp + b onwards, contiguous: a view into the heap, not a
 * strided copy. Pairs that wrap around a row meet dy's zero columns and add nothing.
 * Batches ride along as more rows: each image gets one extra zero row so a view never reads past
 * the end of x, and dy is padded to the same per-image height. Costs over the per-tap slices:
 * (oh + kh) * (ow + kw - 1) / (oh * ow) more multiply-adds (2 % at 256 px, 16 % at 32 px).
 *
 * dW[a, b, c, o] = sum_q dy[q, o] * x[q + a*Wp + b, c]
 */
export function shiftedViewsFilterGradient(info: tf.backend_util.Conv2DInfo, x: TensorInfo, dy: TensorInfo, filterShape: number[],
  backend: BackendWasm, run: Run): TensorInfo {
  const { batchSize, inChannels, outChannels, outHeight, outWidth, filterHeight, filterWidth, padInfo } = info;
  const rowPx = outWidth + filterWidth - 1; // Wp
  const imageRows = outHeight + filterHeight; // Hp + 1: one zero row of slack per image
  const positions = ((batchSize - 1) * imageRows + outHeight) * rowPx; // the last dy position that is not zero, plus one
  const temporaries: TensorInfo[] = [];
  const keep = (t: TensorInfo) => { temporaries.push(t); return t; };
  const views: TensorInfo[] = [];
  try {
    const padded = keep(run('PadV2', { x }, {
      paddings: [[0, 0], [padInfo.top, imageRows - info.inHeight - padInfo.top], [padInfo.left, padInfo.right], [0, 0]],
      constantValue: 0,
    }));
    // dy on the same grid: [N, imageRows, Wp, O], zero below and right of its oh x ow pixels.
    const dyGrid = keep(run('PadV2', { x: dy }, { paddings: [[0, 0], [0, imageRows - outHeight], [0, rowPx - outWidth], [0, 0]], constantValue: 0 }));
    const dyRows = view(backend, dyGrid, 0, [1, positions, outChannels], views);
    const dyT = keep(run('Transpose', { x: dyRows }, { perm: [0, 2, 1] })); // [1, O, positions]
    const taps: TensorInfo[] = [];
    for (let a = 0; a < filterHeight; a++) {
      for (let b = 0; b < filterWidth; b++) {
        const seen = view(backend, padded, (a * rowPx + b) * inChannels, [1, positions, inChannels], views);
        taps.push(keep(run('BatchMatMul', { a: dyT, b: seen }, { transposeA: false, transposeB: false }))); // [1, O, C]
      }
    }
    const stacked = taps.length === 1 ? (taps[0] as TensorInfo) : keep(run('Concat', taps, { axis: 0 })); // [taps, O, C]
    const tapMajor = keep(run('Transpose', { x: stacked }, { perm: [0, 2, 1] })); // [taps, C, O]
    return run('Reshape', { x: tapMajor }, { shape: filterShape });
  } finally {
    for (const v of views) forgetView(backend, v);
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

/** Checks the padded grid this path assumes: stride 1, and x (padded) exactly oh + kh - 1 by ow + kw - 1. */
export function fitsShiftedViews(info: tf.backend_util.Conv2DInfo): boolean {
  const { padInfo } = info;
  return info.strideHeight === 1 && info.strideWidth === 1 && info.dilationHeight === 1 && info.dilationWidth === 1 &&
    info.inHeight + padInfo.top + padInfo.bottom === info.outHeight + info.filterHeight - 1 &&
    info.inWidth + padInfo.left + padInfo.right === info.outWidth + info.filterWidth - 1;
}

/**
 * A tensor over part of another's heap memory (from `elementOffset`), registered with the wasm
 * module like any output; released by forgetView only, never by disposeData (which would free
 * memory in the middle of the owner's allocation).
 */
function view(backend: BackendWasm, owner: TensorInfo, elementOffset: number, shape: number[], views: TensorInfo[]): TensorInfo {
  const base = backend.dataIdMap.get(owner.dataId)?.memoryOffset;
  if (base === undefined || base === null) throw new Error('A heap view needs a tensor that lives on the wasm heap.');
  const size = shape.reduce((p, s) => p * s, 1);
  const ownerSize = owner.shape.reduce((p, s) => p * s, 1);
  if (elementOffset < 0 || elementOffset + size > ownerSize) throw new Error(`A heap view [${elementOffset}, ${elementOffset + size}) runs outside its tensor of ${ownerSize} values.`);
  const v = backend.makeOutput(shape, 'float32', base + elementOffset * 4);
  views.push(v);
  return v;
}

function forgetView(backend: BackendWasm, v: TensorInfo): void {
  const data = backend.dataIdMap.get(v.dataId);
  if (!data) return;
  (backend.wasm as unknown as { tfjs: { disposeData(id: number): void } }).tfjs.disposeData(data.id);
  backend.dataIdMap.delete(v.dataId);
}
