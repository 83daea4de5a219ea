import * as tf from '@tensorflow/tfjs';
import type { EngineMemory } from './protocol';

interface WasmBackendLike { wasm?: { HEAPU8?: Uint8Array } }

/**
 * What the engine's backend holds right now, in the units that run out first on it. The wasm
 * heap and the GPU backends' buffer/texture pools never shrink while the engine lives, so a
 * sample taken after a step is also that step's high-water mark; the cpu backend's tensor bytes
 * are only the current count (its peak inside a step is not observable cheaply).
 */
export function measureEngineMemory(): EngineMemory {
  const backend = tf.getBackend();
  const memory = tf.memory() as tf.MemoryInfo & { numBytesAllocatedInGPU?: number; numBytesInGPUAllocated?: number };
  if (backend === 'wasm') {
    const heap = (tf.backend() as unknown as WasmBackendLike).wasm?.HEAPU8?.byteLength;
    if (heap !== undefined) return { bytes: heap, what: 'WebAssembly heap, high-water mark' };
  }
  if (backend === 'webgpu' && memory.numBytesAllocatedInGPU !== undefined) {
    return { bytes: memory.numBytesAllocatedInGPU, what: 'GPU buffers, high-water mark' };
  }
  if (backend === 'webgl' && memory.numBytesInGPUAllocated !== undefined) {
    return { bytes: memory.numBytesInGPUAllocated, what: 'GPU textures, high-water mark' };
  }
  return { bytes: memory.numBytes, what: 'tensors held after the step, not the peak' };
}

/** Keeps the largest sample: the number a user compares with their device's memory. */
export class PeakMemory {
  private peak: EngineMemory | null = null;

  sample(): EngineMemory {
    const now = measureEngineMemory();
    if (!this.peak || now.bytes >= this.peak.bytes) this.peak = now;
    return this.peak;
  }
}
