import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { MOVING_AVERAGE_UPDATE } from '../../core/model/movingAverageUpdate';

/** A batch-norm moving statistic's update (core/model/movingAverageUpdate.ts) as one pass over the wasm heap, not three ops. */
function movingAverageUpdate({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo {
  const { previous, batch } = inputs as Record<'previous' | 'batch', TensorInfo>;
  const { decay, batchScale } = attrs as unknown as { decay: number; batchScale: number };
  const wasm = backend as BackendWasm;
  const output = wasm.makeOutput(previous.shape, 'float32');
  const previousValues = wasm.typedArrayFromHeap(previous) as Float32Array;
  const batchValues = wasm.typedArrayFromHeap(batch) as Float32Array;
  const outputValues = wasm.typedArrayFromHeap(output) as Float32Array;
  for (let i = 0; i < previousValues.length; i++) {
    const p = previousValues[i] as number;
    outputValues[i] = p - (p - batchScale * (batchValues[i] as number)) * decay;
  }
  return output;
}

/** Registers the kernel on wasm once. */
export function registerWasmMovingAverage(): void {
  if (!tf.getKernel(MOVING_AVERAGE_UPDATE, 'wasm')) tf.registerKernel({ kernelName: MOVING_AVERAGE_UPDATE, backendName: 'wasm', kernelFunc: movingAverageUpdate });
}
