/**
 * Releasing tfjs's WebGPU buffer pool, checked against tfjs-backend-webgpu's own BufferManager
 * (a fake device stands in for the GPU): pooled buffers are destroyed and uncounted, buffers in use
 * are kept, and the manager keeps working afterwards (its releaseBuffer returns early, leaking the
 * buffer, when the pool map is empty).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
// tfjs does not export its BufferManager; the dist file is the class the backend uses.
import { BufferManager } from '@tensorflow/tfjs-backend-webgpu/dist/buffer_manager.js';
import type { BufferManagerLike } from './webgpuDevice';
import { deviceLossGraceMs, looksLikeDeviceLoss, releaseFreeBuffers, webgpuDeviceLostWithin } from './webgpuDevice';

interface FakeBuffer { size: number; usage: number; destroyed: boolean; destroy(): void }

function fakeDevice() {
  const made: FakeBuffer[] = [];
  return {
    made,
    createBuffer({ size, usage }: { size: number; usage: number }): FakeBuffer {
      const buffer: FakeBuffer = { size, usage, destroyed: false, destroy() { this.destroyed = true; } };
      made.push(buffer);
      return buffer;
    },
  };
}

describe('releaseFreeBuffers', () => {
  it('destroys pooled buffers, keeps those in use, and leaves the manager working', () => {
    const device = fakeDevice();
    const manager = new BufferManager(device as unknown as GPUDevice);
    const pooled = manager as unknown as BufferManagerLike & { numUsedBuffers: number; numBytesUsed: number };
    const usage = 0x80 | 0x08; // STORAGE | COPY_DST
    const tileA = [manager.acquireBuffer(1024, usage), manager.acquireBuffer(1024, usage)];
    const tileB = manager.acquireBuffer(4096, usage);
    const inUse = manager.acquireBuffer(256, usage);
    for (const b of [...tileA, tileB]) manager.releaseBuffer(b);
    expect(pooled.numFreeBuffers).toBe(3);
    expect(pooled.numBytesAllocated).toBe(1024 * 2 + 4096 + 256);

    expect(releaseFreeBuffers(pooled)).toBe(1024 * 2 + 4096);
    expect(device.made.filter((b) => b.destroyed)).toHaveLength(3);
    expect((inUse as unknown as FakeBuffer).destroyed).toBe(false);
    expect(pooled.numFreeBuffers).toBe(0);
    expect(pooled.numBytesAllocated).toBe(256);
    expect(pooled.numUsedBuffers).toBe(1);

    // Afterwards: a new acquire creates a buffer, and releasing the one in use pools it (not leaked).
    const fresh = manager.acquireBuffer(1024, usage) as unknown as FakeBuffer;
    expect(fresh.destroyed).toBe(false);
    expect(device.made).toHaveLength(5);
    manager.releaseBuffer(inUse);
    manager.releaseBuffer(fresh as unknown as GPUBuffer);
    expect(pooled.numUsedBuffers).toBe(0);
    expect(pooled.numBytesUsed).toBe(0);
    expect(pooled.numFreeBuffers).toBe(2);
    expect(releaseFreeBuffers(pooled)).toBe(256 + 1024);
    expect(pooled.numBytesAllocated).toBe(0);
  });
});

describe('telling a lost device from an ordinary failure', () => {
  afterEach(() => { vi.useRealTimers(); });

  // Chrome's words when a destroyed device unmaps a buffer a training step was reading back (a CI run).
  const unmapped = new DOMException("Failed to execute 'mapAsync' on 'GPUBuffer': Buffer was unmapped before mapping was resolved.", 'AbortError');

  it('reads a rejected read-back or a "device is lost" message as the GPU going, and nothing else', () => {
    expect(looksLikeDeviceLoss(unmapped)).toBe(true);
    expect(looksLikeDeviceLoss(new DOMException('Device is lost', 'OperationError'))).toBe(true);
    expect(looksLikeDeviceLoss(new Error('[Device] is lost.'))).toBe(true); // Dawn's wording
    expect(looksLikeDeviceLoss(new Error('The device was lost'))).toBe(true);
    expect(looksLikeDeviceLoss(new Error('Error in conv2d: depth of input (3) must match input depth for filter 1.'))).toBe(false);
    expect(looksLikeDeviceLoss('a string')).toBe(false);
    expect(deviceLossGraceMs(unmapped)).toBe(10_000);
    expect(deviceLossGraceMs(new Error('shapes differ'))).toBe(500);
  });

  it('waits for the lost signal of the device the work started on, which may come seconds after the failure', async () => {
    vi.useFakeTimers();
    let lose = () => {};
    const device = { lost: new Promise<void>((resolve) => { lose = resolve; }) } as unknown as GPUDevice;
    const late = webgpuDeviceLostWithin(deviceLossGraceMs(unmapped), device);
    setTimeout(lose, 3_000);
    await vi.advanceTimersByTimeAsync(3_000);
    await expect(late).resolves.toBe(true);

    const alive = { lost: new Promise<void>(() => {}) } as unknown as GPUDevice;
    const ordinary = webgpuDeviceLostWithin(deviceLossGraceMs(new Error('shapes differ')), alive);
    await vi.advanceTimersByTimeAsync(500);
    await expect(ordinary).resolves.toBe(false);
    await expect(webgpuDeviceLostWithin(500, null)).resolves.toBe(false);
  });
});
