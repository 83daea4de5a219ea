import { registerWasmBatchNormTrainingGrad } from './wasmBatchNormTrainingGrad';
import { registerWasmConcatSplit } from './wasmConcatSplit';
import { registerWasmConv2DBackpropFilter } from './wasmConv2DBackpropFilter';
import { registerWasmConv2DBackpropInput } from './wasmConv2DBackpropInput';
import { registerWasmMaxPoolGrad } from './wasmMaxPoolGrad';
import { registerWasmSharedIdentity } from './wasmSharedIdentity';

/**
 * What tfjs 4.22's wasm backend needs to train a U-Net: the missing filter gradient, a faster
 * input gradient, an Identity that does not copy every activation saved for backprop, the
 * batch-norm gradient in two passes, and one-pass copies for the skip connections' Concat and
 * SplitV and the max-pool gradient.
 * Call after `tf.setBackend('wasm')` (tfjs registers its own kernels then).
 */
export function registerWasmTrainingKernels(): void {
  registerWasmConv2DBackpropFilter();
  registerWasmConv2DBackpropInput();
  registerWasmSharedIdentity();
  registerWasmBatchNormTrainingGrad();
  registerWasmConcatSplit();
  registerWasmMaxPoolGrad();
}
