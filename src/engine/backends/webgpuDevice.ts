import * as tf from '@tensorflow/tfjs';

/** The parts of tfjs-backend-webgpu 4.22's backend and BufferManager we reach into (not public API). */
interface GpuBufferLike { readonly size: number; destroy(): void }
export interface BufferManagerLike {
  freeBuffers: Map<string, GpuBufferLike[]>;
  numFreeBuffers: number;
  numBytesAllocated: number;
}
interface WebGpuBackendLike { device?: GPUDevice; bufferManager?: BufferManagerLike }

function webgpuBackend(): WebGpuBackendLike | null {
  return tf.getBackend() === 'webgpu' ? (tf.backend() as unknown as WebGpuBackendLike) : null;
}

/**
 * Calls `onLost` once if the WebGPU device behind the current backend is lost (driver reset, GPU
 * removed, the browser reclaiming it). Returns a function that stops listening: call it before
 * disposing the backend on purpose, which destroys the device too.
 */
export function watchWebGpuDevice(onLost: (info: { reason: string; message: string }) => void): () => void {
  const device = webgpuBackend()?.device;
  if (!device) return () => {};
  let listening = true;
  void device.lost.then((info) => {
    if (listening) onLost({ reason: info.reason ?? 'unknown', message: info.message ?? '' });
  });
  return () => { listening = false; };
}

/** The device behind the current WebGPU backend, if WebGPU runs. */
export function currentWebGpuDevice(): GPUDevice | null {
  return webgpuBackend()?.device ?? null;
}

/**
 * Whether `device` (the one the failed work started on; null off WebGPU) is lost, or is found lost
 * within `ms`: a failing GPU operation can reject before the device's `lost` promise settles.
 */
export function webgpuDeviceLostWithin(ms: number, device: GPUDevice | null): Promise<boolean> {
  if (!device) return Promise.resolve(false);
  return Promise.race([device.lost.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);
}

/**
 * Whether an error says the GPU went from under the operation: a buffer's mapAsync rejects
 * (AbortError, "Buffer was unmapped before mapping was resolved") when its device is destroyed,
 * or (OperationError) when it is lost. The device's `lost` signal comes when the GPU process gets
 * to it, which on a busy software GPU was over 500 ms after that rejection.
 */
export function looksLikeDeviceLoss(error: unknown): boolean {
  // A DOMException is an Error in browsers and in Node.
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  return name === 'AbortError' || name === 'OperationError' || /mapAsync|device\]? (is |was )?(lost|destroyed)|Instance dropped/i.test(message);
}

/** How long a failed operation waits for its device's `lost` signal before it counts as an ordinary error. */
export function deviceLossGraceMs(error: unknown): number {
  return looksLikeDeviceLoss(error) ? 10_000 : 500;
}

/**
 * Drops the dead WebGPU backend and registers its factory again, so the next `setBackend('webgpu')`
 * asks the browser for a new adapter and device. Every tensor of the old backend is gone with it.
 */
export function forgetWebGpuBackend(): void {
  const factory = tf.findBackendFactory('webgpu');
  if (!factory) return;
  try {
    tf.removeBackend('webgpu');
  } catch (error) {
    console.warn('Disposing the lost WebGPU backend failed (its device is gone anyway):', error);
  }
  tf.registerBackend('webgpu', factory, 3); // tfjs-backend-webgpu's own priority
}

/**
 * tfjs keeps every freed GPU buffer in a pool keyed by exact size, forever: each new tile shape
 * (a slice of another size, another training tile) adds a set that is never used again. This
 * destroys the pooled buffers (not those in use) and returns the bytes given back.
 *
 * The keys stay, emptied: tfjs's releaseBuffer returns early, leaking the buffer it was handed,
 * when the pool map is empty (its sign of a disposed backend).
 */
export function releaseFreeBuffers(manager: BufferManagerLike): number {
  let released = 0;
  for (const buffers of manager.freeBuffers.values()) {
    for (const buffer of buffers) {
      released += buffer.size;
      buffer.destroy();
    }
    manager.numFreeBuffers -= buffers.length;
    buffers.length = 0;
  }
  manager.numBytesAllocated -= released;
  return released;
}

/** releaseFreeBuffers on the current backend when it is WebGPU; 0 otherwise. */
export function releaseGpuBufferPool(): number {
  const manager = webgpuBackend()?.bufferManager;
  return manager ? releaseFreeBuffers(manager) : 0;
}

/** Releases the pool when the shape of the work changes (another tile size), so GPU memory stays bounded. */
export class GpuPoolByShape {
  private shape: string | null = null;

  use(shape: string): void {
    if (this.shape !== null && this.shape !== shape) releaseGpuBufferPool();
    this.shape = shape;
  }

  releaseNow(): void {
    releaseGpuBufferPool();
    this.shape = null;
  }
}
