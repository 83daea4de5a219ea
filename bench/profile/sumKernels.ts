import type * as tf from '@tensorflow/tfjs';

/** tf.profile's result (tfjs does not export its type by name). */
type ProfileInfo = Awaited<ReturnType<typeof tf.profile>>;
type ProfiledKernel = ProfileInfo['kernels'][number];

/**
 * The kernels a tf.profile run recorded, without the ops that wrap a kernel (fusedConv2d__op around
 * FusedConv2D, which tf.profile lists as well and would count twice).
 */
export function profiledKernels(info: ProfileInfo): ProfiledKernel[] {
  return info.kernels.filter((kernel) => !kernel.name.endsWith('__op'));
}

/** Their time and calls summed by `keyOf` (a kernel's name, or its name and input shapes). */
export function sumKernels(kernels: readonly ProfiledKernel[], keyOf: (kernel: ProfiledKernel) => string): Map<string, { ms: number; calls: number }> {
  const sums = new Map<string, { ms: number; calls: number }>();
  for (const k of kernels) {
    const key = keyOf(k);
    const entry = sums.get(key) ?? { ms: 0, calls: 0 };
    sums.set(key, { ms: entry.ms + (typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0), calls: entry.calls + 1 });
  }
  return sums;
}
