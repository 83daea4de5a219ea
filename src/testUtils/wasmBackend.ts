import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../engine/backends/wasmTrainingKernels';

let ready = false;

/** Switches Node tests to the wasm backend (from node_modules) with the project's training kernel. */
export async function useWasmBackend(): Promise<void> {
  if (!ready) {
    setWasmPaths(`${path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
    ready = true;
  }
  if (!(await tf.setBackend('wasm'))) throw new Error('The wasm backend did not start in Node.');
  registerWasmTrainingKernels();
}
