import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { configureWasmPaths } from './backends/configureWasmPaths';
import { useAllCoresForWasm } from './backends/wasmThreads';
import { registerWasmTrainingKernels } from './backends/wasmTrainingKernels';
import { registerWebGpuTrainingKernels } from './backends/webgpuTrainingKernels';
import type { BackendAttempt, BackendName, BackendReport } from './protocol';
import { isSoftwareRenderer } from './softwareRenderer';

export const DEFAULT_BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

const SLOW_NOTE: Record<BackendName, string> = {
  webgpu: '',
  webgl: ' WebGL is slower than WebGPU for training.',
  wasm: ' Training on the CPU (WebAssembly) is slow.',
  cpu: ' Training on the plain CPU backend is very slow.',
};

/**
 * Tries the backends in order and keeps the first that starts, remembering why each earlier one
 * was not used: the user is told which backend runs and why. Without an order from the user
 * (`?backend=`), a GPU backend whose renderer is software (no GPU) is tried after wasm, which is
 * far faster than it on the same CPU; it still beats the plain cpu backend if wasm cannot start.
 */
export async function selectBackend(requested?: readonly BackendName[]): Promise<BackendReport> {
  const attempts: BackendAttempt[] = [];
  const deferred: { backend: BackendName; renderer: string }[] = [];
  const start = async (backend: BackendName, renderer: string | undefined): Promise<BackendReport | null> => {
    const failure = await tryBackend(backend);
    if (failure !== null) {
      attempts.push({ backend, failure });
      return null;
    }
    attempts.push({ backend });
    const others = attempts.filter((a) => a.failure !== undefined && a.backend !== backend);
    const because = others.length === 0
      ? `it is the first choice and it started${renderer ? ` on ${renderer}` : ''}.`
      : `${others.map((a) => `${a.backend}: ${a.failure}`).join('; ')}.`;
    const software = isSoftwareRenderer(renderer) && others.length > 0 ? ` It runs on a software renderer (${renderer}), not a GPU.` : '';
    const threads = backend === 'wasm' ? getThreadsCount() : undefined;
    return {
      backend,
      reason: `Using ${backend} because ${because}${SLOW_NOTE[backend]}${software}${threads !== undefined ? threadsNote(threads) : ''}`,
      ...(renderer ? { adapter: renderer } : {}),
      ...(isSoftwareRenderer(renderer) ? { software: true } : {}),
      ...(threads !== undefined ? { threads } : {}),
      attempts,
    };
  };
  const startDeferred = async (): Promise<BackendReport | null> => {
    for (const { backend, renderer } of deferred.splice(0)) {
      const report = await start(backend, renderer);
      if (report) return report;
    }
    return null;
  };

  for (const backend of requested ?? DEFAULT_BACKEND_ORDER) {
    if (backend === 'cpu') {
      const report = await startDeferred(); // a software GPU still beats the plain JavaScript backend
      if (report) return report;
    }
    const renderer = await describeRenderer(backend);
    if (!requested && isSoftwareRenderer(renderer)) {
      attempts.push({ backend, failure: `its renderer is software, not a GPU (${renderer}), slower than WebAssembly here, so it comes after wasm` });
      deferred.push({ backend, renderer: renderer as string });
      continue;
    }
    const report = await start(backend, renderer);
    if (report) return report;
  }
  const report = await startDeferred();
  if (report) return report;
  throw new Error(`No compute backend could start (${attempts.map((a) => `${a.backend}: ${a.failure}`).join('; ')}).`);
}

/** How many threads WebAssembly runs on, and why only one where that is so. */
function threadsNote(threads: number): string {
  if (threads > 1) return ` It runs on ${threads} threads.`;
  return (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated
    ? ' It runs on 1 thread.'
    : ' It runs on 1 thread: this page is not cross-origin isolated, and WebAssembly threads need that.';
}

/** null when the backend started, else why not. */
async function tryBackend(backend: BackendName): Promise<string | null> {
  if (backend === 'webgpu') {
    if (!('gpu' in navigator && navigator.gpu)) return 'this browser does not offer WebGPU';
    const adapter = await navigator.gpu.requestAdapter().catch(() => null);
    if (!adapter) return 'the browser found no WebGPU adapter (no supported GPU, or WebGPU is turned off)';
  }
  if (backend === 'wasm') {
    configureWasmPaths();
    useAllCoresForWasm();
  }
  try {
    const ok = await tf.setBackend(backend);
    if (!ok) return 'it failed to start';
    await tf.ready();
    // tfjs 4.22's wasm cannot train without these, and its WebGPU training kernels are naive (registered after setBackend, as tfjs requires).
    if (backend === 'wasm') registerWasmTrainingKernels();
    if (backend === 'webgpu') registerWebGpuTrainingKernels();
    return null;
  } catch (error) {
    return `it failed to start (${error instanceof Error ? error.message : String(error)})`;
  }
}

/** The GPU a backend would run on, as the browser names it; undefined for the CPU backends or when it will not say. */
async function describeRenderer(backend: BackendName): Promise<string | undefined> {
  if (backend === 'webgpu') return describeAdapter();
  if (backend === 'webgl') return describeWebGLRenderer();
  return undefined;
}

async function describeAdapter(): Promise<string | undefined> {
  try {
    if (!('gpu' in navigator && navigator.gpu)) return undefined;
    const adapter = await navigator.gpu.requestAdapter();
    const info = adapter?.info;
    if (!info) return undefined;
    const parts = [info.vendor, info.architecture, info.description].filter((p) => p && p.length > 0);
    // A fallback adapter is the browser's software implementation, whatever it is called.
    if ((info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter) parts.push('(fallback adapter)');
    return parts.length > 0 ? parts.join(' ') : undefined;
  } catch {
    return undefined;
  }
}

/** WebGL's unmasked renderer string from a throw-away context (tfjs makes its own). */
function describeWebGLRenderer(): string | undefined {
  try {
    if (typeof OffscreenCanvas === 'undefined') return undefined;
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) return undefined;
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return renderer;
  } catch {
    return undefined;
  }
}
