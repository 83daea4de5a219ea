import { FusedAdamOptimizer, FusedMomentumOptimizer } from './fusedOptimizers';
import type { OptimizerSpec } from './optimizerSpec';

export type { OptimizerSpec } from './optimizerSpec';

/** tf.train.momentum / tf.train.adam with defaults, each weight's update one op (fusedOptimizers.ts). */
export function createOptimizer(spec: OptimizerSpec): FusedAdamOptimizer | FusedMomentumOptimizer {
  switch (spec.kind) {
    case 'sgd-momentum':
      return new FusedMomentumOptimizer(spec.learningRate, spec.momentum);
    case 'adam':
      // tf.train.adam's defaults; epsilon null: the backend's (1e-7 in float32).
      return new FusedAdamOptimizer(spec.learningRate, 0.9, 0.999);
    default: {
      const unknown: never = spec;
      throw new Error(`Unknown optimiser ${JSON.stringify(unknown)}`);
    }
  }
}
