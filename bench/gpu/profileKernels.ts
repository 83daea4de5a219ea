/**
 * `--profile` for the GPU bench: one more run of a row under tf.profile, its kernels summed by name. On WebGPU
 * each kernel's time comes from timestamp queries (where the adapter has 'timestamp-query'), so the sum is GPU
 * time; the gap between that sum and the profiled run's wall time is what dispatching, read-back and JS cost.
 * Where the time goes, for choosing which WebGPU kernel to own next; the timed medians stay the bench's figures.
 */
import * as tf from '@tensorflow/tfjs';
import type { GpuCase } from './cases';
import { profiledKernels, sumKernels } from '../profile/sumKernels';

export interface KernelProfile {
  readonly wallMs: number;
  /** Sum of every kernel's GPU time (0 where the adapter gives no timestamps). */
  readonly kernelMs: number;
  readonly dispatches: number;
  /** By kernel name, largest first. */
  readonly kernels: { name: string; ms: number; calls: number }[];
}

export async function profileKernels(benchCase: GpuCase): Promise<KernelProfile> {
  const started = performance.now();
  // run() resolves to a number, not tensors: tf.profile only awaits it.
  const info = await tf.profile(() => benchCase.run() as unknown as tf.TensorContainer);
  const wallMs = performance.now() - started;
  const kernels = profiledKernels(info);
  const byName = sumKernels(kernels, (k) => k.name);
  const sorted = [...byName].map(([name, v]) => ({ name, ...v })).sort((a, b) => b.ms - a.ms);
  return { wallMs, kernelMs: sorted.reduce((s, k) => s + k.ms, 0), dispatches: kernels.length, kernels: sorted };
}

export function describeProfile(profile: KernelProfile, top = 12): string {
  const lines = [`  profile: wall ${profile.wallMs.toFixed(1)} ms (profiled, each kernel waited for), GPU kernels ${profile.kernelMs.toFixed(1)} ms, ${profile.dispatches} kernels`];
  for (const k of profile.kernels.slice(0, top)) lines.push(`    ${k.name.padEnd(28)} ${k.ms.toFixed(2).padStart(9)} ms  ${String(k.calls).padStart(4)} calls`);
  return lines.join('\n');
}
