import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { AdamUpdateAttrs, MomentumUpdateAttrs } from '../../core/train/fusedOptimizers';
import { ADAM_UPDATE, MOMENTUM_UPDATE } from '../../core/train/fusedOptimizers';
import { allOutputsOrNone, kernelCalls } from './convGradientsByMatmul';
import type { ElementwiseSpec } from './webgpuElementwise';
import { runElementwise } from './webgpuElementwise';

/**
 * The optimisers' per-weight updates (core/train/fusedOptimizers.ts) on WebGPU: one program per
 * output, each recomputing the shared terms (a few flops) instead of tfjs's chain of ~14 (Adam) or
 * 4 (momentum) dispatches and the scalar uploads between them. Adam: 3 dispatches a weight; momentum: 2.
 */

// 1 - beta comes from float64, as tfjs's (and PyTorch's) does: 1.0 - beta2 in f32 is 1.3e-5 off for beta2 = 0.999.
const ADAM_UNIFORMS = ['learningRate', 'beta1', 'beta2', 'oneMinusBeta1', 'oneMinusBeta2', 'epsilon', 'firstMomentCorrection', 'secondMomentCorrection'];
// The same expressions as the ops tfjs chains (core/train/fusedOptimizers.ts adamUpdate's fallback).
const NEW_M = 'm[index] * uniforms.beta1 + g[index] * uniforms.oneMinusBeta1';
const NEW_V = 'v[index] * uniforms.beta2 + (g[index] * g[index]) * uniforms.oneMinusBeta2';
const adamSpecs: Record<'value' | 'm' | 'v', ElementwiseSpec> = {
  m: { key: 'adamM', inputNames: ['m', 'g'], uniformNames: ADAM_UNIFORMS, body: `result[index] = ${NEW_M};` },
  v: { key: 'adamV', inputNames: ['v', 'g'], uniformNames: ADAM_UNIFORMS, body: `result[index] = ${NEW_V};` },
  value: {
    key: 'adamValue',
    inputNames: ['w', 'm', 'v', 'g'],
    uniformNames: ADAM_UNIFORMS,
    body: `
      let newM = ${NEW_M};
      let newV = ${NEW_V};
      let step = (newM / uniforms.firstMomentCorrection) / (sqrt(newV / uniforms.secondMomentCorrection) + uniforms.epsilon);
      result[index] = step * -uniforms.learningRate + w[index];`,
  },
};

const MOMENTUM_UNIFORMS = ['learningRate', 'momentum'];
const NEW_ACCUMULATION = 'a[index] * uniforms.momentum + g[index]';
const momentumSpecs: Record<'value' | 'accumulation', ElementwiseSpec> = {
  accumulation: { key: 'momentumAccumulation', inputNames: ['a', 'g'], uniformNames: MOMENTUM_UNIFORMS, body: `result[index] = ${NEW_ACCUMULATION};` },
  value: { key: 'momentumValue', inputNames: ['w', 'a', 'g'], uniformNames: MOMENTUM_UNIFORMS, body: `result[index] = (${NEW_ACCUMULATION}) * -uniforms.learningRate + w[index];` },
};

function adamUpdate({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo[] {
  const { value, m, v, gradient } = inputs as Record<'value' | 'm' | 'v' | 'gradient', TensorInfo>;
  const a = attrs as unknown as AdamUpdateAttrs;
  const uniforms = [a.learningRate, a.beta1, a.beta2, 1 - a.beta1, 1 - a.beta2, a.epsilon, a.firstMomentCorrection, a.secondMomentCorrection];
  const run = (spec: ElementwiseSpec) => runElementwise(backend as tf.KernelBackend, spec, { w: value, m, v, g: gradient }, value.shape, uniforms);
  return allOutputsOrNone(kernelCalls('webgpu', backend as tf.KernelBackend, ADAM_UPDATE), [adamSpecs.value, adamSpecs.m, adamSpecs.v].map((spec) => () => run(spec)));
}

function momentumUpdate({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo[] {
  const { value, accumulation, gradient } = inputs as Record<'value' | 'accumulation' | 'gradient', TensorInfo>;
  const a = attrs as unknown as MomentumUpdateAttrs;
  const run = (spec: ElementwiseSpec) => runElementwise(backend as tf.KernelBackend, spec, { w: value, a: accumulation, g: gradient }, value.shape, [a.learningRate, a.momentum]);
  return allOutputsOrNone(kernelCalls('webgpu', backend as tf.KernelBackend, MOMENTUM_UPDATE), [momentumSpecs.value, momentumSpecs.accumulation].map((spec) => () => run(spec)));
}

/** Registers both on WebGPU once; the optimisers use them where they are registered. */
export function registerWebGpuOptimizerUpdates(): void {
  if (!tf.getKernel(ADAM_UPDATE, 'webgpu')) tf.registerKernel({ kernelName: ADAM_UPDATE, backendName: 'webgpu', kernelFunc: adamUpdate });
  if (!tf.getKernel(MOMENTUM_UPDATE, 'webgpu')) tf.registerKernel({ kernelName: MOMENTUM_UPDATE, backendName: 'webgpu', kernelFunc: momentumUpdate });
}
