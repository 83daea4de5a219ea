import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../engine/backends/wasmTrainingKernels';
import { registerWebGpuTrainingKernels } from '../engine/backends/webgpuTrainingKernels';
import { isSoftwareRenderer } from '../engine/softwareRenderer';
import { describeAdapter, installDawn } from './dawn';

export type NodeBackendChoice = 'auto' | 'webgpu' | 'wasm' | 'cpu';

export interface NodeBackend {
  readonly backend: 'webgpu' | 'wasm' | 'cpu';
  /** One line for the terminal: which backend, on what, and why. */
  readonly description: string;
}

/**
 * Starts the engine's backend in Node, as the page's selectBackend does in a browser: WebGPU through
 * Dawn (the `webgpu` package) when a GPU driver gives a hardware adapter, else WebAssembly. A
 * software adapter (SwiftShader) counts as no GPU under `auto`: wasm is ~20x faster than it here.
 * In Node tfjs's wasm runs on one thread (its threaded build needs a browser's workers).
 */
export async function startNodeBackend(choice: NodeBackendChoice): Promise<NodeBackend> {
  const gpuWhy: string[] = [];
  if (choice === 'webgpu' || choice === 'auto') {
    const gpu = await tryWebGpu(choice === 'webgpu');
    if (gpu.started) return { backend: 'webgpu', description: `webgpu on ${gpu.adapter}` };
    if (choice === 'webgpu') throw new Error(`WebGPU did not start: ${gpu.why}. Use --backend wasm to train on the CPU.`);
    gpuWhy.push(gpu.why.replace(/\.$/, ''));
  }
  if (choice === 'cpu') return startPlain('cpu', 'cpu (plain JavaScript, very slow): chosen with --backend cpu');
  setWasmPaths(`${path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
  const started = await startPlain('wasm', `wasm (CPU, 1 thread)${gpuWhy.length > 0 ? `: no GPU (${gpuWhy.join('; ')})` : ''}`);
  registerWasmTrainingKernels();
  return started;
}

async function startPlain(backend: 'wasm' | 'cpu', description: string): Promise<NodeBackend> {
  if (!(await tf.setBackend(backend))) throw new Error(`The ${backend} backend did not start in Node.`);
  await tf.ready();
  return { backend, description };
}

async function tryWebGpu(software: boolean): Promise<{ started: true; adapter: string } | { started: false; why: string }> {
  let adapter: string;
  try {
    const dawn = installDawn();
    adapter = (await describeAdapter(dawn.gpu)).description;
  } catch (error) {
    return { started: false, why: error instanceof Error ? error.message : String(error) };
  }
  if (!software && isSoftwareRenderer(adapter)) return { started: false, why: `the only WebGPU adapter is software (${adapter})` };
  try {
    // Registers tfjs's webgpu backend at import time, and only when navigator.gpu exists: after installDawn.
    await import('@tensorflow/tfjs-backend-webgpu');
    if (!(await tf.setBackend('webgpu'))) return { started: false, why: 'tfjs could not start its webgpu backend on this adapter' };
    await tf.ready();
    registerWebGpuTrainingKernels();
    return { started: true, adapter };
  } catch (error) {
    return { started: false, why: error instanceof Error ? error.message : String(error) };
  }
}
