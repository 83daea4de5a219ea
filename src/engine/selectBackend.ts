import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { configureWasmPaths } from './backends/configureWasmPaths';
import { registerWasmTrainingKernels } from './backends/wasmTrainingKernels';
import type { BackendAttempt, BackendName, BackendReport } from './protocol';

export const DEFAULT_BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

const SLOW_NOTE: Record<BackendName, string> = {
  webgpu: '',
  webgl: ' WebGL is slower than WebGPU for training.',
  wasm: ' Training on the CPU (WebAssembly) is slow.',
  cpu: ' Training on the plain CPU backend is very slow.',
};

/**
 * Tries the backends in order and keeps the first that starts, remembering why
 * each earlier one did not: the user is told which backend runs and why.
 */
export async function selectBackend(order: readonly BackendName[] = DEFAULT_BACKEND_ORDER): Promise<BackendReport> {
  const attempts: BackendAttempt[] = [];
  for (const backend of order) {
    const failure = await tryBackend(backend);
    if (failure === null) {
      attempts.push({ backend });
      const adapter = backend === 'webgpu' ? await describeAdapter() : undefined;
      const because = attempts.length === 1
        ? `it is the first choice and it started${adapter ? ` on ${adapter}` : ''}.`
        : `${attempts.slice(0, -1).map((a) => `${a.backend}: ${a.failure}`).join('; ')}.`;
      return {
        backend,
        reason: `Using ${backend} because ${because}${SLOW_NOTE[backend]}`,
        ...(adapter ? { adapter } : {}),
        attempts,
      };
    }
    attempts.push({ backend, failure });
  }
  throw new Error(`No compute backend could start (${attempts.map((a) => `${a.backend}: ${a.failure}`).join('; ')}).`);
}

/** null when the backend started, else why not. */
async function tryBackend(backend: BackendName): Promise<string | null> {
  if (backend === 'webgpu') {
    if (!('gpu' in navigator && navigator.gpu)) return 'this browser does not offer WebGPU';
    const adapter = await navigator.gpu.requestAdapter().catch(() => null);
    if (!adapter) return 'the browser found no WebGPU adapter (no supported GPU, or WebGPU is turned off)';
  }
  if (backend === 'wasm') configureWasmPaths();
  try {
    const ok = await tf.setBackend(backend);
    if (!ok) return 'it failed to start';
    await tf.ready();
    // tfjs 4.22's wasm cannot train without these (registered after setBackend, as tfjs requires).
    if (backend === 'wasm') registerWasmTrainingKernels();
    return null;
  } catch (error) {
    return `it failed to start (${error instanceof Error ? error.message : String(error)})`;
  }
}

async function describeAdapter(): Promise<string | undefined> {
  try {
    const adapter = await navigator.gpu.requestAdapter();
    const info = adapter?.info;
    if (!info) return undefined;
    const parts = [info.vendor, info.architecture, info.description].filter((p) => p && p.length > 0);
    return parts.length > 0 ? parts.join(' ') : undefined;
  } catch {
    return undefined;
  }
}
