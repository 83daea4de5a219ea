import * as tf from '@tensorflow/tfjs';
import type { OptimizerSpec } from './optimizerSpec';

export type { OptimizerSpec } from './optimizerSpec';

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
