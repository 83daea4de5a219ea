import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { replaceKernel } from './replaceKernel';

/**
 * Concat and SplitV of float32 tensors as plain copies over the wasm heap. The U-Net's skip
 * connections join and (in backprop) split along channels: runs of 16-128 values per pixel.
 * tfjs 4.22's wasm Concat makes a subarray and a set() per run, and its SplitV is a generic Slice
 * per part; together 4 % of a fast-preset training step. Other dtypes keep tfjs's kernels.
 */
let originalConcat: KernelFunc | null = null;
let originalSplitV: KernelFunc | null = null;

/** The whole heap as 32-bit integers: a copy moves bits, never converts a float (NaN payloads kept). */
function heapOf(backend: BackendWasm): Int32Array {
  return new Int32Array((backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer);
}

function offsetOf(backend: BackendWasm, t: TensorInfo): number {
  return (backend.dataIdMap.get(t.dataId)!.memoryOffset as number) / 4;
}

/**
 * Copies `outer` rows, each the concatenation of one run per part: part i's run r sits at
 * parts[i] + r * runs[i] and joins at joined + r * sum(runs). Concat reads the parts and writes
 * the rows in order; SplitV the other way. Row by row with every part in turn (not part by part):
 * about twice as fast in V8 for runs of 16 values.
 */
function copyRows(heap: Int32Array, joined: number, parts: readonly number[], runs: readonly number[], outer: number, split: boolean): void {
  const row = runs.reduce((a, b) => a + b, 0);
  for (let r = 0; r < outer; r++) {
    let at = joined + r * row;
    for (let i = 0; i < parts.length; i++) {
      const run = runs[i] as number;
      const part = (parts[i] as number) + r * run;
      if (split) for (let k = 0; k < run; k++) heap[part + k] = heap[at + k] as number;
      else for (let k = 0; k < run; k++) heap[at + k] = heap[part + k] as number;
      at += run;
    }
  }
}

function concat(args: Parameters<KernelFunc>[0]): TensorInfo | TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const tensors = (inputs as unknown as TensorInfo[]).filter((t) => tf.util.sizeFromShape(t.shape) > 0);
  const first = (inputs as unknown as TensorInfo[])[0];
  if (!first || tensors.length < 2 || tensors.some((t) => t.dtype !== 'float32')) return originalConcat!(args);
  const axis = tf.util.parseAxisParam((attrs as unknown as tf.ConcatAttrs).axis, first.shape)[0] as number;
  tf.backend_util.assertParamsConsistent(tensors.map((t) => t.shape), axis);
  const wasm = backend as BackendWasm;
  const out = wasm.makeOutput(tf.backend_util.computeOutShape(tensors.map((t) => t.shape), axis), 'float32');
  const outer = tf.util.sizeFromShape(first.shape.slice(0, axis));
  const runs = tensors.map((t) => tf.util.sizeFromShape(t.shape.slice(axis)));
  // The heap view after the allocation: growing the heap detaches earlier views.
  copyRows(heapOf(wasm), offsetOf(wasm, out), tensors.map((t) => offsetOf(wasm, t)), runs, outer, false);
  return out;
}

function splitV(args: Parameters<KernelFunc>[0]): TensorInfo | TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { x } = inputs as { x: TensorInfo };
  if (x.dtype !== 'float32') return originalSplitV!(args);
  const { numOrSizeSplits, axis } = attrs as unknown as tf.SplitVAttrs;
  const $axis = tf.util.parseAxisParam(axis, x.shape)[0] as number;
  const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, $axis);
  const wasm = backend as BackendWasm;
  const outs = sizes.map((s) => {
    const shape = [...x.shape];
    shape[$axis] = s;
    return wasm.makeOutput(shape, 'float32');
  });
  const outer = tf.util.sizeFromShape(x.shape.slice(0, $axis));
  const inner = tf.util.sizeFromShape(x.shape.slice($axis + 1));
  copyRows(heapOf(wasm), offsetOf(wasm, x), outs.map((out) => offsetOf(wasm, out)), sizes.map((size) => size * inner), outer, true);
  return outs;
}

/** Replaces both wasm kernels once, keeping the originals for other dtypes. */
export function registerWasmConcatSplit(): void {
  originalConcat = replaceKernel('wasm', 'Concat', concat) ?? originalConcat;
  originalSplitV = replaceKernel('wasm', 'SplitV', splitV) ?? originalSplitV;
}
