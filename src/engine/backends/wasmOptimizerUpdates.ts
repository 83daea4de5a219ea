import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { AdamUpdateAttrs, MomentumUpdateAttrs } from '../../core/train/fusedOptimizers';
import { ADAM_UPDATE, MOMENTUM_UPDATE } from '../../core/train/fusedOptimizers';
import { allOutputsOrNone, kernelCalls } from './convGradientsByMatmul';

/**
 * The optimisers' per-weight updates (core/train/fusedOptimizers.ts) on wasm: one pass over the
 * heap, in float64 before each stored value, instead of tfjs's chain of ~13 (Adam) or 4 (momentum)
 * ops. A small network's step is bound by per-op cost, not arithmetic: the tiny preset's 36 weights
 * took ~470 ops a step for Adam alone.
 */

function adamUpdate({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo[] {
  const { value, m, v, gradient } = inputs as Record<'value' | 'm' | 'v' | 'gradient', TensorInfo>;
  const { learningRate, beta1, beta2, epsilon, firstMomentCorrection, secondMomentCorrection } = attrs as unknown as AdamUpdateAttrs;
  const wasm = backend as BackendWasm;
  // If the heap cannot grow for the last, the first are released.
  const outputs = allOutputsOrNone(kernelCalls('wasm', wasm, ADAM_UPDATE), [0, 1, 2].map(() => () => wasm.makeOutput(value.shape, 'float32')));
  // Views after the allocations: growing the heap detaches earlier ones.
  const [ws, ms, vs, gs] = [value, m, v, gradient].map((t) => wasm.typedArrayFromHeap(t) as Float32Array) as Float32Array[];
  const [newWs, newMs, newVs] = outputs.map((t) => wasm.typedArrayFromHeap(t) as Float32Array) as Float32Array[];
  const oneMinusBeta1 = 1 - beta1;
  const oneMinusBeta2 = 1 - beta2;
  for (let i = 0; i < ws!.length; i++) {
    const g = gs![i] as number;
    const newM = (ms![i] as number) * beta1 + g * oneMinusBeta1;
    const newV = (vs![i] as number) * beta2 + g * g * oneMinusBeta2;
    newMs![i] = newM;
    newVs![i] = newV;
    newWs![i] = (ws![i] as number) - learningRate * (newM / firstMomentCorrection) / (Math.sqrt(newV / secondMomentCorrection) + epsilon);
  }
  return outputs;
}

function momentumUpdate({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo[] {
  const { value, accumulation, gradient } = inputs as Record<'value' | 'accumulation' | 'gradient', TensorInfo>;
  const { learningRate, momentum } = attrs as unknown as MomentumUpdateAttrs;
  const wasm = backend as BackendWasm;
  const outputs = allOutputsOrNone(kernelCalls('wasm', wasm, MOMENTUM_UPDATE), [0, 1].map(() => () => wasm.makeOutput(value.shape, 'float32')));
  const [ws, as, gs] = [value, accumulation, gradient].map((t) => wasm.typedArrayFromHeap(t) as Float32Array) as Float32Array[];
  const [newWs, newAs] = outputs.map((t) => wasm.typedArrayFromHeap(t) as Float32Array) as Float32Array[];
  for (let i = 0; i < ws!.length; i++) {
    const newA = (as![i] as number) * momentum + (gs![i] as number);
    newAs![i] = newA;
    newWs![i] = (ws![i] as number) - learningRate * newA;
  }
  return outputs;
}

/** Registers both on wasm once; the optimisers use them where they are registered. */
export function registerWasmOptimizerUpdates(): void {
  if (!tf.getKernel(ADAM_UPDATE, 'wasm')) tf.registerKernel({ kernelName: ADAM_UPDATE, backendName: 'wasm', kernelFunc: adamUpdate });
  if (!tf.getKernel(MOMENTUM_UPDATE, 'wasm')) tf.registerKernel({ kernelName: MOMENTUM_UPDATE, backendName: 'wasm', kernelFunc: momentumUpdate });
}
