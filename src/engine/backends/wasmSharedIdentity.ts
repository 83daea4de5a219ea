import type * as tf from '@tensorflow/tfjs';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { replaceKernel } from './replaceKernel';

/**
 * tfjs 4.22's wasm Identity copies its input, and the engine clones (Identity) every tensor a
 * gradient saves, so on wasm each activation kept for backprop exists twice. The cpu and webgl
 * backends share the data instead (tensors are immutable; reference counting frees it), and so
 * does this kernel. Measured on the paper's network at 412 px: heap after the forward pass 2007 ->
 * 1071 MiB, step peak 3147 -> 2276 MiB (572 px still does not fit: see trainingMemory.ts).
 * tfjs's own wasm kernels that call Identity internally (Transpose, Concat, ...) import the
 * original function, so they still copy.
 */
let original: KernelFunc | null = null;

function sharedIdentity(args: Parameters<KernelFunc>[0]): TensorInfo | TensorInfo[] {
  const { x } = args.inputs as { x: TensorInfo };
  // Strings live outside the heap; keep the original path for them.
  if (x.dtype === 'string') return original!(args);
  (args.backend as tf.KernelBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** Replaces the wasm Identity once, keeping the original for string tensors. */
export function registerWasmSharedIdentity(): void {
  original = replaceKernel('wasm', 'Identity', sharedIdentity) ?? original;
}
