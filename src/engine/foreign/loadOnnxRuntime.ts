import type * as Ort from 'onnxruntime-web';
// Only the binary's URL (a string): nothing is fetched until a session starts. Static, as tfjs's are: Vite's
// dev server answers a dynamic import of `?url` with the binary itself.
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';

let loading: Promise<typeof Ort> | null = null;

/**
 * onnxruntime-web (its WebAssembly build), imported only when a third-party ONNX model is imported: a
 * chunk of its own, so the studio's start-up never downloads it. Its wasm binary comes from the page's
 * own origin (bundled by Vite, like tfjs's), never a CDN. One thread: its thread workers would start
 * from the bundle's URL, which a blob:-bootstrapped worker cannot vouch for (and the page is often not
 * cross-origin isolated); the studio's own models use every core.
 */
export function loadOnnxRuntime(): Promise<typeof Ort> {
  loading ??= (async () => {
    const ort = await import('onnxruntime-web/wasm');
    // Absolute: the worker runs from a blob: bootstrap, against which a relative path means nothing.
    if (inWorker()) ort.env.wasm.wasmPaths = { wasm: new URL(ortWasmUrl, import.meta.url).href };
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.proxy = false;
    return ort;
  })().catch((error: unknown) => {
    loading = null; // a later import may try again
    throw error;
  });
  return loading;
}

/** In Node (unit tests, the headless CLI) onnxruntime-web finds its binary beside itself. */
function inWorker(): boolean {
  return typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined';
}
