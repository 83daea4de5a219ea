// Only the binary's URL (a string): nothing is fetched until a third-party ONNX model is imported. A static
// import, as tfjs's are: Vite's dev server answers a dynamic import of `?url` with the binary itself. Browser
// only (Node cannot import `?url`): the engine worker calls it, the headless CLI never does.
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import { setOnnxRuntimeWasmUrl } from './loadOnnxRuntime';

export function configureOnnxWasmPath(): void {
  // Absolute: the worker runs from a blob: bootstrap, against which a relative path means nothing.
  setOnnxRuntimeWasmUrl(new URL(ortWasmUrl, import.meta.url).href);
}
