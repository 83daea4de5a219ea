import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

/**
 * tfjs-backend-webgpu 4.22's AddN binds every input as a storage buffer of one compute pipeline.
 * WebGPU devices allow 8 a stage by default (tfjs does not ask for more), so a sum of more than 7
 * tensors makes an invalid pipeline: no error reaches the caller and the result is never written
 * (measured on Dawn: the NaN guard's check over 37 weight sums, test-time augmentation's mean of 8
 * views). tfjs's Concat splits its inputs for this limit; its AddN does not. Ours sums in groups
 * that fit, with tfjs's own program, and groups the partial sums again until one is left.
 */
export function sumInGroups(original: KernelFunc, args: Parameters<KernelFunc>[0]): TensorInfo {
  const { inputs, backend } = args;
  const limits = (backend as unknown as { device: { limits: { maxStorageBuffersPerShaderStage: number } } }).device.limits;
  const perGroup = Math.max(2, limits.maxStorageBuffersPerShaderStage - 1); // one buffer is the output
  let tensors = Object.values(inputs) as TensorInfo[];
  const partials: TensorInfo[] = [];
  while (tensors.length > perGroup) {
    const next: TensorInfo[] = [];
    for (let i = 0; i < tensors.length; i += perGroup) {
      const group = tensors.slice(i, i + perGroup);
      if (group.length === 1) {
        next.push(group[0] as TensorInfo);
        continue;
      }
      const sum = original({ ...args, inputs: group as unknown as typeof inputs }) as TensorInfo;
      partials.push(sum);
      next.push(sum);
    }
    tensors = next;
  }
  const result = original({ ...args, inputs: tensors as unknown as typeof inputs }) as TensorInfo;
  for (const partial of partials) (backend as KernelBackend).disposeData(partial.dataId);
  return result;
}
