import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { replaceKernel } from './replaceKernel';
import { isPatchConv, kernelCalls, patchInputGradient } from './convGradientsByMatmul';

/**
 * tfjs 4.22's wasm Conv2DBackpropInput is a plain loop, ~6x slower than its XNNPACK forward conv.
 * For stride 1 (every 3x3 and 1x1 conv of a U-Net) the input gradient is itself a forward
 * correlation: dx = conv(pad(dy), W flipped in space with in/out channels swapped), padded by
 * k - 1 - pad on each side (by XNNPACK as it convolves: no padded copy of dy). A filter as large
 * as its stride with no padding (the U-Net's 2x2
 * stride-2 up-conv, whose forward pass this kernel is) is one matmul and one rearrangement.
 * Other strides keep the original kernel.
 */
let original: KernelFunc | null = null;

function conv2DBackpropInput(args: Parameters<KernelFunc>[0]): TensorInfo | TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const run = (name: string, kernelInputs: Record<string, TensorInfo>, kernelAttrs: NamedAttrMap): TensorInfo => {
    const kernel = tf.getKernel(name, 'wasm');
    if (!kernel) throw new Error(`The wasm backend lacks ${name}, needed for Conv2DBackpropInput.`);
    return kernel.kernelFunc({ inputs: kernelInputs, backend, attrs: kernelAttrs }) as TensorInfo;
  };
  if (dataFormat === 'NHWC' && isPatchConv(info)) return patchInputGradient(kernelCalls('wasm', backend as tf.KernelBackend, 'Conv2DBackpropInput'), info, dy, filter);
  if (dataFormat !== 'NHWC' || info.strideHeight !== 1 || info.strideWidth !== 1 || !original) {
    if (!original) throw new Error('The original wasm Conv2DBackpropInput is missing.');
    return original(args) as TensorInfo;
  }
  const { filterHeight, filterWidth, padInfo, inHeight, inWidth, outHeight, outWidth } = info;
  const top = filterHeight - 1 - padInfo.top;
  const left = filterWidth - 1 - padInfo.left;
  const bottom = inHeight - outHeight + filterHeight - 1 - top;
  const right = inWidth - outWidth + filterWidth - 1 - left;
  const temporaries: TensorInfo[] = [];
  const keep = (t: TensorInfo) => { temporaries.push(t); return t; };
  try { // released even when a kernel throws (out of memory), so the heap is not left full
    const swapped = keep(flipAndSwap(backend as BackendWasm, filter)); // [kh, kw, C_out, C_in]
    // XNNPACK pads as it convolves: no padded copy of dy.
    const explicit = [[0, 0], [top, bottom], [left, right], [0, 0]] as tf.backend_util.ExplicitPadding;
    return run('Conv2D', { x: dy, filter: swapped }, { strides: 1, pad: explicit, dataFormat: 'NHWC', dilations: 1, dimRoundingMode: 'floor' } as unknown as NamedAttrMap);
  } finally {
    for (const t of temporaries) (backend as tf.KernelBackend).disposeData(t.dataId);
  }
}

/**
 * The filter flipped in space with its in and out channels swapped, in one pass over the wasm heap:
 * out[a, b, o, c] = W[kh-1-a, kw-1-b, c, o]. tfjs's Reverse then Transpose took 13 % of a paper-net
 * training step (Reverse alone ~33 ns an element); this loop is ~4x faster, with the same values.
 */
function flipAndSwap(backend: BackendWasm, filter: TensorInfo): TensorInfo {
  const [kh, kw, inChannels, outChannels] = filter.shape as [number, number, number, number];
  const out = backend.makeOutput([kh, kw, outChannels, inChannels], 'float32');
  // Views after the allocation: growing the heap would detach earlier ones.
  const source = backend.typedArrayFromHeap(filter) as Float32Array;
  const target = backend.typedArrayFromHeap(out) as Float32Array;
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      const from = ((kh - 1 - a) * kw + (kw - 1 - b)) * inChannels * outChannels;
      const to = (a * kw + b) * outChannels * inChannels;
      for (let c = 0; c < inChannels; c++) {
        const row = from + c * outChannels;
        for (let o = 0; o < outChannels; o++) target[to + o * inChannels + c] = source[row + o] as number;
      }
    }
  }
  return out;
}

/** Replaces the wasm kernel once, keeping the original for strides other than 1. */
export function registerWasmConv2DBackpropInput(): void {
  original = replaceKernel('wasm', 'Conv2DBackpropInput', conv2DBackpropInput) ?? original;
}
