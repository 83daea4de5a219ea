import type * as tf from '@tensorflow/tfjs';

/**
 * A model's weights keyed `layerName.weightName` (e.g. `enc0_conv1.kernel`,
 * `dec1_bn2.moving_mean`). tfjs makes variable names unique per process
 * (`kernel_3`), so they cannot identify a weight across models; layer names can.
 */
export function namedWeights(model: tf.LayersModel): Map<string, tf.LayerVariable> {
  const byName = new Map<string, tf.LayerVariable>();
  for (const layer of model.layers) {
    for (const weight of layer.weights) {
      const shortName = weight.originalName.split('/').pop() ?? weight.originalName;
      byName.set(`${layer.name}.${shortName.replace(/_\d+$/, '')}`, weight);
    }
  }
  return byName;
}
