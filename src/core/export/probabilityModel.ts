import * as tf from '@tensorflow/tfjs';

/**
 * The network with its probabilities as the one output, as the studio predicts with it: the softmax of
 * a one-head model's logits; for a deep-supervised UNet++, the mean of its heads' softmax (its
 * "accurate" mode, headProbabilities). The layers and weights are the model's own, not copies.
 */
export function probabilityModel(model: tf.LayersModel, outputName: string): tf.LayersModel {
  const heads = model.outputs;
  if (heads.length === 1) {
    const probabilities = tf.layers.softmax({ axis: -1, name: outputName }).apply(heads[0] as tf.SymbolicTensor) as tf.SymbolicTensor;
    return tf.model({ inputs: model.inputs, outputs: probabilities, name: model.name });
  }
  const perHead = heads.map((logits, i) => tf.layers.softmax({ axis: -1, name: `${outputName}_head${i + 1}` }).apply(logits) as tf.SymbolicTensor);
  const mean = tf.layers.average({ name: outputName }).apply(perHead) as tf.SymbolicTensor;
  return tf.model({ inputs: model.inputs, outputs: mean, name: model.name });
}
