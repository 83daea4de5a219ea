/// <reference lib="webworker" />
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

/** tfjs 4.22's wasm build pre-creates 8 thread workers: it can use no more. */
const MAX_WASM_THREADS = 8;

/**
 * Lets the wasm backend use every logical core (up to 8) in a cross-origin isolated page. tfjs's
 * C++ side caps its thread pool at navigator.hardwareConcurrency / 2 (it assumes two hyper-threads
 * a core), which is 1 on a 2-core machine: nothing gained from threads at all. The engine worker's
 * navigator reports twice the cores to it, and asks for all of them. Call before setBackend('wasm').
 */
export function useAllCoresForWasm(scope: { navigator: { hardwareConcurrency: number } } = self as unknown as { navigator: { hardwareConcurrency: number } }): number {
  const cores = Math.max(1, Math.min(MAX_WASM_THREADS, scope.navigator.hardwareConcurrency || 1));
  Object.defineProperty(scope.navigator, 'hardwareConcurrency', { value: cores * 2, configurable: true });
  setThreadsCount(cores);
  return cores;
}
