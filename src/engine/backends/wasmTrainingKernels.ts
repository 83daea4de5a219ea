import { registerWasmBatchNormTrainingGrad } from './wasmBatchNormTrainingGrad';
import { registerWasmConcatSplit } from './wasmConcatSplit';
import { registerWasmConv2DBackpropFilter } from './wasmConv2DBackpropFilter';
import { registerWasmConv2DBackpropInput } from './wasmConv2DBackpropInput';
import { registerWasmMaxPoolGrad } from './wasmMaxPoolGrad';
import { registerWasmMovingAverage } from './wasmMovingAverage';
import { registerWasmOptimizerUpdates } from './wasmOptimizerUpdates';
import { registerWasmSharedIdentity } from './wasmSharedIdentity';

/**
 * What tfjs 4.22's wasm backend needs to train a U-Net: the missing filter gradient, a faster
 * input gradient, an Identity that does not copy every activation saved for backprop, the
 * batch-norm gradient in two passes, and one-pass copies for the skip connections' Concat and
 * SplitV and the max-pool gradient; and, one pass each where tfjs chains ops, the optimisers' updates
 * and batch norm's moving statistics (a small network's step is bound by the number of ops).
 * Call after `tf.setBackend('wasm')` (tfjs registers its own kernels then).
 */
export function registerWasmTrainingKernels(): void {
  registerWasmConv2DBackpropFilter();
  registerWasmConv2DBackpropInput();
  registerWasmSharedIdentity();
  registerWasmBatchNormTrainingGrad();
  registerWasmConcatSplit();
  registerWasmMaxPoolGrad();
  registerWasmOptimizerUpdates();
  registerWasmMovingAverage();
}
