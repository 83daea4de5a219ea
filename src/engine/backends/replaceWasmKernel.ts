import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';

/**
 * Puts `kernelFunc` in place of tfjs's wasm kernel of that name (once; keeping its setup function)
 * and returns the kernel it replaced, for the cases the replacement hands back; null when there
 * was none or the replacement is already in place.
 */
export function replaceWasmKernel(kernelName: string, kernelFunc: KernelFunc): KernelFunc | null {
  const current = tf.getKernel(kernelName, 'wasm');
  if (!current || current.kernelFunc === kernelFunc) return null;
  tf.unregisterKernel(kernelName, 'wasm');
  const config: KernelConfig = { kernelName, backendName: 'wasm', kernelFunc, ...(current.setupFunc ? { setupFunc: current.setupFunc } : {}) };
  tf.registerKernel(config);
  return current.kernelFunc;
}
