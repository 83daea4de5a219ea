import * as tf from '@tensorflow/tfjs';

/** Plain-data optimiser settings: they travel to the worker and into the model's metadata. */
export type OptimizerSpec =
  | { readonly kind: 'sgd-momentum'; readonly learningRate: number; readonly momentum: number }
  | { readonly kind: 'adam'; readonly learningRate: number };

/** The paper's SGD with momentum 0.99. */
export const PAPER_OPTIMIZER: OptimizerSpec = { kind: 'sgd-momentum', learningRate: 0.01, momentum: 0.99 };
/** Adam for the fast preset. */
export const FAST_OPTIMIZER: OptimizerSpec = { kind: 'adam', learningRate: 1e-3 };

export function createOptimizer(spec: OptimizerSpec): tf.Optimizer {
  switch (spec.kind) {
    case 'sgd-momentum':
      return tf.train.momentum(spec.learningRate, spec.momentum);
    case 'adam':
      return tf.train.adam(spec.learningRate);
    default: {
      const unknown: never = spec;
      throw new Error(`Unknown optimiser ${JSON.stringify(unknown)}`);
    }
  }
}
