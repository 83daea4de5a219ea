import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { replaceWasmKernel } from './replaceWasmKernel';

/**
 * tfjs 4.22's wasm Conv2DBackpropInput is a plain loop, ~6x slower than its XNNPACK forward conv.
 * For stride 1 (every 3x3 and 1x1 conv of a U-Net) the input gradient is itself a forward
 * correlation: dx = conv(pad(dy), W flipped in space with in/out channels swapped), padded by
 * k - 1 - pad on each side. Other strides (the up-convs) keep the original kernel.
 */
let original: KernelFunc | null = null;

function conv2DBackpropInput(args: Parameters<KernelFunc>[0]): TensorInfo | TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  if (dataFormat !== 'NHWC' || info.strideHeight !== 1 || info.strideWidth !== 1 || !original) {
    if (!original) throw new Error('The original wasm Conv2DBackpropInput is missing.');
    return original(args) as TensorInfo;
  }
  const run = (name: string, kernelInputs: Record<string, TensorInfo>, kernelAttrs: NamedAttrMap): TensorInfo => {
    const kernel = tf.getKernel(name, 'wasm');
    if (!kernel) throw new Error(`The wasm backend lacks ${name}, needed for Conv2DBackpropInput.`);
    return kernel.kernelFunc({ inputs: kernelInputs, backend, attrs: kernelAttrs }) as TensorInfo;
  };
  const { filterHeight, filterWidth, padInfo, inHeight, inWidth, outHeight, outWidth } = info;
  const top = filterHeight - 1 - padInfo.top;
  const left = filterWidth - 1 - padInfo.left;
  const bottom = inHeight - outHeight + filterHeight - 1 - top;
  const right = inWidth - outWidth + filterWidth - 1 - left;
  const temporaries: TensorInfo[] = [];
  const keep = (t: TensorInfo) => { temporaries.push(t); return t; };
  try { // released even when a kernel throws (out of memory), so the heap is not left full
    const flipped = keep(run('Reverse', { x: filter }, { dims: [0, 1] }));
    const swapped = keep(run('Transpose', { x: flipped }, { perm: [0, 1, 3, 2] })); // [kh, kw, C_out, C_in]
    const padded = keep(run('PadV2', { x: dy }, { paddings: [[0, 0], [top, bottom], [left, right], [0, 0]], constantValue: 0 }));
    return run('Conv2D', { x: padded, filter: swapped }, { strides: 1, pad: 'valid', dataFormat: 'NHWC', dilations: 1, dimRoundingMode: 'floor' });
  } finally {
    for (const t of temporaries) (backend as tf.KernelBackend).disposeData(t.dataId);
  }
}

/** Replaces the wasm kernel once, keeping the original for strides other than 1. */
export function registerWasmConv2DBackpropInput(): void {
  original = replaceWasmKernel('Conv2DBackpropInput', conv2DBackpropInput) ?? original;
}
