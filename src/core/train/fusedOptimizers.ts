import * as tf from '@tensorflow/tfjs';
import { activeBackendHasKernel } from '../backendKernel';

/**
 * Adam and SGD with momentum whose per-weight update is ONE op: a kernel a backend may register
 * (the engine registers them on WebGPU, engine/backends/webgpuOptimizerUpdates.ts), else tfjs's
 * own formula as ordinary ops. tfjs's optimizers run about 14 ops a weight for Adam and 4 for
 * momentum: ~900 of the ~1500 GPU dispatches of a fast-preset training step, where a GPU step is
 * bound by dispatches, not arithmetic (bench/results/gpu-h200/README.md).
 *
 * The update is tfjs's (and PyTorch's, torch.optim.Adam / SGD without dampening):
 *   Adam:     m' = b1 m + (1 - b1) g,  v' = b2 v + (1 - b2) g^2,
 *             w' = w - lr (m' / c1) / (sqrt(v' / c2) + eps),  c1 = 1 - b1^t, c2 = 1 - b2^t
 *   momentum: a' = mu a + g,  w' = w - lr a'
 * One difference from tfjs's Adam: the bias corrections c1, c2 are computed in float64 from the step
 * count, as PyTorch does, where tfjs multiplies float32 scalars on the device every step.
 * Optimiser state (getWeights / setWeights, variable names) is tfjs's own.
 */

/** Kernel names (inputs and attrs below; outputs in the order given). */
export const ADAM_UPDATE = 'StudioAdamUpdate';
export const MOMENTUM_UPDATE = 'StudioMomentumUpdate';

/** Inputs value, m, v, gradient; outputs the new value, m and v. */
export interface AdamUpdateAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 - beta1^t and 1 - beta2^t at step t (from 1). */
  firstMomentCorrection: number;
  secondMomentCorrection: number;
}

/** Inputs value, accumulation, gradient; outputs the new value and accumulation. */
export interface MomentumUpdateAttrs {
  learningRate: number;
  momentum: number;
}

export function adamUpdate(value: tf.Tensor, m: tf.Tensor, v: tf.Tensor, gradient: tf.Tensor, attrs: AdamUpdateAttrs): [tf.Tensor, tf.Tensor, tf.Tensor] {
  if (activeBackendHasKernel(ADAM_UPDATE)) {
    return tf.engine().runKernel(ADAM_UPDATE, { value, m, v, gradient }, attrs as unknown as tf.NamedAttrMap) as [tf.Tensor, tf.Tensor, tf.Tensor];
  }
  return tf.tidy(() => {
    const { learningRate, beta1, beta2, epsilon, firstMomentCorrection, secondMomentCorrection } = attrs;
    const newM = tf.add(tf.mul(m, beta1), tf.mul(gradient, 1 - beta1));
    const newV = tf.add(tf.mul(v, beta2), tf.mul(tf.square(gradient), 1 - beta2));
    const step = tf.div(tf.div(newM, firstMomentCorrection), tf.add(tf.sqrt(tf.div(newV, secondMomentCorrection)), epsilon));
    return [tf.add(tf.mul(step, -learningRate), value), newM, newV];
  });
}

export function momentumUpdate(value: tf.Tensor, accumulation: tf.Tensor, gradient: tf.Tensor, attrs: MomentumUpdateAttrs): [tf.Tensor, tf.Tensor] {
  if (activeBackendHasKernel(MOMENTUM_UPDATE)) {
    return tf.engine().runKernel(MOMENTUM_UPDATE, { value, accumulation, gradient }, attrs as unknown as tf.NamedAttrMap) as [tf.Tensor, tf.Tensor];
  }
  return tf.tidy(() => {
    const newAccumulation = tf.add(tf.mul(accumulation, attrs.momentum), gradient);
    return [tf.add(tf.mul(newAccumulation, -attrs.learningRate), value), newAccumulation];
  });
}

/** tfjs's optimiser state (private in its typings). */
type Slot = { originalName: string; variable: tf.Variable } | undefined;
interface AdamSlots { accumulatedFirstMoment: Slot[]; accumulatedSecondMoment: Slot[] }
interface MomentumSlots { accumulations: Slot[]; momentum: number; useNesterov: boolean }

type VariableGradients = Parameters<tf.Optimizer['applyGradients']>[0];

/** The gradients as [name, tensor] pairs, in tfjs's order (slot i belongs to the i-th). */
function namedGradients(variableGradients: VariableGradients): [string, tf.Tensor | undefined][] {
  return Array.isArray(variableGradients) ? variableGradients.map((g) => [g.name, g.tensor]) : Object.entries(variableGradients);
}

function slot(slots: Slot[], i: number, name: string, suffix: string, value: tf.Variable): tf.Variable {
  slots[i] ??= { originalName: `${name}/${suffix}`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
  return slots[i].variable;
}

const registeredVariable = (name: string) => tf.engine().registeredVariables[name] as tf.Variable;

export class FusedAdamOptimizer extends tf.AdamOptimizer {
  /** A schedule's rate for the next update; Adam's moments carry on (as PyTorch's schedulers do). */
  setLearningRate(rate: number): void {
    this.learningRate = rate;
  }

  override applyGradients(variableGradients: VariableGradients): void {
    const slots = this as unknown as AdamSlots;
    const t = this.iterations + 1;
    const attrs: AdamUpdateAttrs = {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      firstMomentCorrection: 1 - this.beta1 ** t,
      secondMomentCorrection: 1 - this.beta2 ** t,
    };
    namedGradients(variableGradients).forEach(([name, gradient], i) => {
      const value = registeredVariable(name);
      const m = slot(slots.accumulatedFirstMoment, i, name, 'm', value);
      const v = slot(slots.accumulatedSecondMoment, i, name, 'v', value);
      if (gradient == null) return;
      tf.tidy(() => {
        const [newValue, newM, newV] = adamUpdate(value, m, v, gradient, attrs);
        m.assign(newM);
        v.assign(newV);
        value.assign(newValue);
      });
    });
    this.incrementIterations();
  }
}

/** tfjs's SGD base class has setLearningRate (it keeps the Nesterov path's scalar in step); the fused path reads learningRate. */
export class FusedMomentumOptimizer extends tf.MomentumOptimizer {
  override applyGradients(variableGradients: VariableGradients): void {
    const slots = this as unknown as MomentumSlots;
    if (slots.useNesterov) {
      super.applyGradients(variableGradients as Parameters<tf.MomentumOptimizer['applyGradients']>[0]);
      return;
    }
    const attrs: MomentumUpdateAttrs = { learningRate: this.learningRate, momentum: slots.momentum };
    namedGradients(variableGradients).forEach(([name, gradient], i) => {
      const value = registeredVariable(name);
      const accumulation = slot(slots.accumulations, i, name, 'momentum', value);
      if (gradient == null) return;
      tf.tidy(() => {
        const [newValue, newAccumulation] = momentumUpdate(value, accumulation, gradient, attrs);
        accumulation.assign(newAccumulation);
        value.assign(newValue);
      });
    });
    this.incrementIterations();
  }
}
