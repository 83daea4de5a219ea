import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/**
 * The wasm binaries are bundled by Vite and served from the page's own origin (never a CDN,
 * tfjs's default). Threads need cross-origin isolation (COOP/COEP), which a plain static host
 * lacks; tfjs then falls back to the single-threaded SIMD build.
 */
export function configureWasmPaths(): void {
  // Absolute: the worker runs from a blob: bootstrap (startWorker.ts), against which a path means nothing.
  const absolute = (url: string) => new URL(url, import.meta.url).href;
  setWasmPaths({
    'tfjs-backend-wasm.wasm': absolute(wasmPlainUrl),
    'tfjs-backend-wasm-simd.wasm': absolute(wasmSimdUrl),
    'tfjs-backend-wasm-threaded-simd.wasm': absolute(wasmThreadedSimdUrl),
  });
}
