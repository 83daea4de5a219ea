import * as tf from '@tensorflow/tfjs';
import { batchNormInTraining } from './batchNormInTraining';
import { movingAverageUpdate } from './movingAverageUpdate';

/** tfjs-layers' BatchNormalization class (not exported by name): the class of the layer its factory makes. */
const TfjsBatchNormalization = tf.layers.batchNormalization({}).constructor as new (args: BatchNormArgs) => tf.layers.Layer;
type BatchNormArgs = Parameters<typeof tf.layers.batchNormalization>[0];

/** The fields of tfjs's layer this one reads (private in its typings). */
interface Fields {
  axis: number;
  momentum: number;
  epsilon: number;
  gamma: tf.LayerVariable | null;
  beta: tf.LayerVariable | null;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
}

/**
 * tfjs's BatchNormalization with its training pass through batchNormInTraining (one gradient for
 * the whole normalisation instead of tfjs's op-by-op chain); inference, weights, config and the
 * saved class name ('BatchNormalization') are tfjs's own, so model files do not change. The
 * moving averages are updated as tfjs-layers does (value - (value - batch) * (1 - momentum)), as one op
 * (core/model/movingAverageUpdate.ts).
 * Layouts other than channels last with both scale and offset take tfjs's path.
 */
class BatchNormalizationLayer extends TfjsBatchNormalization {
  static className = 'BatchNormalization';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const self = this as unknown as Fields;
    const x = Array.isArray(inputs) ? inputs[0] as tf.Tensor : inputs;
    const channelsLast = self.axis === -1 || self.axis === x.rank - 1;
    if (!kwargs['training'] || !channelsLast || !self.gamma || !self.beta) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const { normed, mean, variance } = batchNormInTraining(x, self.gamma!.read() as tf.Tensor1D, self.beta!.read() as tf.Tensor1D, self.epsilon);
      for (const [variable, value] of [[self.movingMean, mean], [self.movingVariance, variance]] as const) {
        variable.write(movingAverageUpdate(variable.read(), value, 1 - self.momentum));
      }
      tf.dispose([mean, variance]); // kept by batchNormInTraining, so a tidy does not free them
      return normed;
    });
  }
}

/** A batch-norm layer, as tf.layers.batchNormalization(args) makes, training through batchNormInTraining. */
export function batchNormalization(args: BatchNormArgs): tf.layers.Layer {
  return new BatchNormalizationLayer(args);
}
