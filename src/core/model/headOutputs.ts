import * as tf from '@tensorflow/tfjs';

/** Every head's logits [B,H,W,K], in output order: a one-head model's single output becomes a list of one. */
export function headLogits(model: tf.LayersModel, images: tf.Tensor4D, training: boolean): tf.Tensor4D[] {
  const out = model.apply(images, { training }) as tf.Tensor4D | tf.Tensor4D[];
  return Array.isArray(out) ? out : [out];
}

/**
 * Class probabilities [B,H,W,K]: the mean of the heads' softmax (UNet++'s "accurate" mode);
 * a one-head model's softmax, with no averaging step, so the U-Net's numbers are untouched.
 */
export function headProbabilities(model: tf.LayersModel, images: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const out = model.predict(images) as tf.Tensor4D | tf.Tensor4D[];
    if (!Array.isArray(out)) return tf.softmax(out, -1);
    return tf.div(tf.addN(out.map((logits) => tf.softmax(logits, -1))), out.length);
  });
}
