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
 * moving averages are updated by tfjs-layers' rule (value - (value - batch) * (1 - momentum)), as one op
 * (core/model/movingAverageUpdate.ts), but with PyTorch's unbiased batch variance (besselCorrection).
 * Layouts other than channels last with both scale and offset take tfjs's path (biased; the studio's
 * networks never use them).
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
      const decay = 1 - self.momentum;
      self.movingMean.write(movingAverageUpdate(self.movingMean.read(), mean, decay));
      self.movingVariance.write(movingAverageUpdate(self.movingVariance.read(), variance, decay, besselCorrection(x)));
      tf.dispose([mean, variance]); // kept by batchNormInTraining, so a tidy does not free them
      return normed;
    });
  }
}

/**
 * n / (n - 1) for the n values a channel's batch statistics pool (batch x height x width): the moving variance
 * averages the unbiased batch variance, as PyTorch's BatchNorm2d and TensorFlow's fused batch norm do (tfjs-layers
 * averages the biased one), so a model trained here keeps the statistics the PyTorch reference would. The batch
 * itself is normalised with the biased variance, as everywhere.
 */
function besselCorrection(x: tf.Tensor): number {
  const n = x.size / x.shape[x.rank - 1]!;
  return n > 1 ? n / (n - 1) : 1;
}

/** A batch-norm layer, as tf.layers.batchNormalization(args) makes, training through batchNormInTraining. */
export function batchNormalization(args: BatchNormArgs): tf.layers.Layer {
  return new BatchNormalizationLayer(args);
}
