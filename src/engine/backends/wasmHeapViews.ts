import type { TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * A tensor over part of another's heap memory (from `elementOffset`), registered with the wasm
 * module like any output, so tfjs's own kernels read it without a copy; released by forgetView
 * only, never by disposeData (which would free memory in the middle of the owner's allocation).
 */
export function view(backend: BackendWasm, owner: TensorInfo, elementOffset: number, shape: number[], views: TensorInfo[]): TensorInfo {
  const base = backend.dataIdMap.get(owner.dataId)?.memoryOffset;
  if (base === undefined || base === null) throw new Error('A heap view needs a tensor that lives on the wasm heap.');
  const size = shape.reduce((p, s) => p * s, 1);
  const ownerSize = owner.shape.reduce((p, s) => p * s, 1);
  if (elementOffset < 0 || elementOffset + size > ownerSize) throw new Error(`A heap view [${elementOffset}, ${elementOffset + size}) runs outside its tensor of ${ownerSize} values.`);
  const v = backend.makeOutput(shape, 'float32', base + elementOffset * 4);
  views.push(v);
  return v;
}

export function forgetView(backend: BackendWasm, v: TensorInfo): void {
  const data = backend.dataIdMap.get(v.dataId);
  if (!data) return;
  (backend.wasm as unknown as { tfjs: { disposeData(id: number): void } }).tfjs.disposeData(data.id);
  backend.dataIdMap.delete(v.dataId);
}
