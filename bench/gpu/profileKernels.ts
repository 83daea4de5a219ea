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
  /** tfjs kernel calls (an Identity or Reshape among them dispatches nothing). */
  readonly dispatches: number;
  /** GPU programs dispatched (runWebGPUProgram calls) in one unprofiled run; a kernel of ours may dispatch several. */
  readonly gpuDispatches: number;
  /** By kernel name, largest first. */
  readonly kernels: { name: string; ms: number; calls: number }[];
}

/** What the count wraps: tfjs's WebGPU backend runs every program it dispatches through this method. */
interface ProgramRunner { runWebGPUProgram(...args: unknown[]): unknown }

/** Runs `run` once, counting the GPU programs tfjs's WebGPU backend dispatches meanwhile. */
export async function countDispatches(run: () => Promise<unknown>): Promise<number> {
  const backend = tf.backend() as unknown as ProgramRunner;
  const original = backend.runWebGPUProgram;
  if (typeof original !== 'function') return 0;
  let count = 0;
  backend.runWebGPUProgram = function counted(this: ProgramRunner, ...args: unknown[]) {
    count += 1;
    return original.apply(this, args);
  };
  try {
    await run();
  } finally {
    // The method lives on the prototype: deleting the instance's wrapper restores it.
    delete (backend as Partial<ProgramRunner>).runWebGPUProgram;
  }
  return count;
}

export async function profileKernels(benchCase: GpuCase): Promise<KernelProfile> {
  const gpuDispatches = await countDispatches(() => benchCase.run());
  const started = performance.now();
  // run() resolves to a number, not tensors: tf.profile only awaits it.
  const info = await tf.profile(() => benchCase.run() as unknown as tf.TensorContainer);
  const wallMs = performance.now() - started;
  const kernels = profiledKernels(info);
  const byName = sumKernels(kernels, (k) => k.name);
  const sorted = [...byName].map(([name, v]) => ({ name, ...v })).sort((a, b) => b.ms - a.ms);
  return { wallMs, kernelMs: sorted.reduce((s, k) => s + k.ms, 0), dispatches: kernels.length, gpuDispatches, kernels: sorted };
}

export function describeProfile(profile: KernelProfile, top = 12): string {
  const lines = [`  profile: wall ${profile.wallMs.toFixed(1)} ms (profiled, each kernel waited for), GPU kernels ${profile.kernelMs.toFixed(1)} ms, ${profile.dispatches} kernels, ${profile.gpuDispatches} GPU dispatches`];
  for (const k of profile.kernels.slice(0, top)) lines.push(`    ${k.name.padEnd(28)} ${k.ms.toFixed(2).padStart(9)} ms  ${String(k.calls).padStart(4)} calls`);
  return lines.join('\n');
}
