import * as tf from '@tensorflow/tfjs';

/**
 * Whether the active backend has a kernel registered under `kernelName`: the studio's fused ops
 * (batch norm's moments and gradient, the moving averages, the optimisers' updates) run the engine's
 * kernel where one is registered and tfjs's ordinary ops elsewhere.
 */
export function activeBackendHasKernel(kernelName: string): boolean {
  return tf.getKernel(kernelName, tf.getBackend()) !== undefined;
}
