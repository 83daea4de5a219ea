import type * as Ort from 'onnxruntime-web';

let loading: Promise<typeof Ort> | null = null;
/** Where the page serves onnxruntime's wasm binary (set by the engine worker); null: beside the module (Node). */
let wasmUrl: string | null = null;

/** The engine worker names the binary Vite bundled (configureOnnxWasmPath), before any model is imported. */
export function setOnnxRuntimeWasmUrl(url: string): void {
  wasmUrl = url;
}

/**
 * onnxruntime-web (its WebAssembly build), imported only when a third-party ONNX model is imported: a
 * chunk of its own, so the studio's start-up never downloads it. Its wasm binary comes from the page's
 * own origin (bundled by Vite, like tfjs's), never a CDN. One thread: its thread workers would start
 * from the bundle's URL, outside the blob: bootstrap that gives the studio's workers the page's CSP
 * (and the page is often not cross-origin isolated); the studio's own models use every core.
 */
export function loadOnnxRuntime(): Promise<typeof Ort> {
  loading ??= (async () => {
    const ort = await import('onnxruntime-web/wasm');
    if (wasmUrl) ort.env.wasm.wasmPaths = { wasm: wasmUrl };
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.proxy = false;
    return ort;
  })().catch((error: unknown) => {
    loading = null; // a later import may try again
    throw error;
  });
  return loading;
}
