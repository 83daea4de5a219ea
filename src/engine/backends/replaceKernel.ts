import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';

/**
 * Puts `kernelFunc` in place of the backend's kernel of that name (once; keeping its setup
 * function) and returns the kernel it replaced, for the cases the replacement hands back; null
 * when there was none or the replacement is already in place.
 */
export function replaceKernel(backendName: string, kernelName: string, kernelFunc: KernelFunc): KernelFunc | null {
  const current = tf.getKernel(kernelName, backendName);
  if (!current || current.kernelFunc === kernelFunc) return null;
  tf.unregisterKernel(kernelName, backendName);
  const config: KernelConfig = { kernelName, backendName, kernelFunc, ...(current.setupFunc ? { setupFunc: current.setupFunc } : {}) };
  tf.registerKernel(config);
  return current.kernelFunc;
}
