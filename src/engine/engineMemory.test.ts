/** What the engine reports as its memory: the wasm heap (which grows with a large tensor and never shrinks), else tensor bytes. */
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from '../testUtils/wasmBackend';
import { PeakMemory, measureEngineMemory } from './engineMemory';

describe('measureEngineMemory', () => {
  afterAll(async () => void (await tf.setBackend('cpu')));

  it('counts the tensors held on the cpu backend', async () => {
    await tf.setBackend('cpu');
    const before = measureEngineMemory();
    const big = tf.zeros([1024, 1024]);
    const after = measureEngineMemory();
    expect(after.what).toBe('tensors held after the step, not the peak');
    expect(after.bytes - before.bytes).toBe(4 * 2 ** 20);
    big.dispose();
    expect(measureEngineMemory().bytes).toBe(before.bytes);
  });

  it('reports the wasm heap: it grows past a 256 MiB tensor and keeps that high-water mark after it is freed', async () => {
    await useWasmBackend();
    const peak = new PeakMemory();
    const before = peak.sample().bytes;
    const big = tf.zeros([64, 1024, 1024]); // 256 MiB
    const during = measureEngineMemory();
    expect(during.what).toMatch(/WebAssembly heap/);
    expect(during.bytes).toBeGreaterThanOrEqual(256 * 2 ** 20);
    expect(during.bytes).toBeGreaterThan(before);
    big.dispose();
    expect(measureEngineMemory().bytes).toBe(during.bytes);
    expect(peak.sample().bytes).toBe(during.bytes);
  });
});
