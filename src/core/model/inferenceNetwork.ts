import * as tf from '@tensorflow/tfjs';
import { describeNetwork } from './describeNetwork';
import type { UNetConfig } from './unetConfig';

/**
 * The network as prediction runs it: each 3x3 convolution with its batch norm folded into its kernel
 * and bias (kernel * gamma / sqrt(var + eps), bias beta - mean * gamma / sqrt(var + eps)) and its ReLU
 * fused, one tf.fused.conv2d a block instead of a convolution, a normalisation and an activation
 * (on wasm XNNPACK adds the bias and clamps in the same pass). Dropout is the identity; pooling,
 * up-convolutions, crops, concatenations and heads run as the layers do. Equal to the LayersModel's
 * inference up to float rounding (inferenceNetwork.test.ts). The folded weights are a copy: build one
 * per prediction run and dispose it after, so training never sees them.
 */
export interface InferenceNetwork {
  /** Class probabilities [B,H,W,K] of images [B,H,W,C]: the softmax, the mean over the heads of a deep-supervised UNet++ (as headProbabilities). */
  probabilities(images: tf.Tensor4D): tf.Tensor4D;
  dispose(): void;
}

/** The folded network of `model` (built by buildUNet from `config`); null when a layer the description names is not in it. */
export function inferenceNetwork(model: tf.LayersModel, config: UNetConfig): InferenceNetwork | null {
  const description = describeNetwork(config);
  const layers = new Map(model.layers.map((l) => [l.name, l]));
  const layer = (name: string): tf.layers.Layer | null => layers.get(name) ?? null;
  if (description.nodes.some((node) => node.op !== 'input' && node.op !== 'dropout' && !layer(node.name))) return null;
  // Each 3x3 convolution as buildUNet makes it: no activation of its own, then (batch norm and) a ReLU layer.
  const asBuilt = (name: string) => (layer(name)?.getConfig()['activation'] ?? 'linear') === 'linear' && layer(`${name}_relu`) !== null;
  if (description.nodes.some((node) => node.op === 'conv3x3' && !asBuilt(node.name))) return null;

  const folded = new Map<string, { kernel: tf.Tensor4D; bias: tf.Tensor1D }>();
  for (const node of description.nodes) {
    if (node.op !== 'conv3x3') continue;
    const [kernel, bias] = (layer(node.name) as tf.layers.Layer).getWeights() as [tf.Tensor4D, tf.Tensor1D | undefined];
    const norm = config.batchNorm ? layer(node.name.replace('_conv', '_bn')) : null;
    if (config.batchNorm && !norm) {
      disposeAll(folded);
      return null;
    }
    folded.set(node.name, norm ? foldBatchNorm(kernel, bias, norm) : { kernel: tf.clone(kernel), bias: bias ? tf.clone(bias) : tf.zeros([kernel.shape[3]]) });
  }

  return {
    probabilities(images) {
      return tf.tidy(() => {
        const values = new Map<string, tf.Tensor4D>();
        const one = (name: string) => values.get(name) as tf.Tensor4D;
        for (const node of description.nodes) {
          const x = node.inputs.length > 0 ? one(node.inputs[0] as string) : images;
          let y: tf.Tensor4D;
          switch (node.op) {
            case 'input':
              y = images;
              break;
            case 'conv3x3': {
              const { kernel, bias } = folded.get(node.name) as { kernel: tf.Tensor4D; bias: tf.Tensor1D };
              y = tf.fused.conv2d({ x, filter: kernel, bias, strides: 1, pad: config.padding, activation: 'relu' });
              break;
            }
            case 'dropout':
              y = x;
              break;
            case 'maxPool':
              y = tf.maxPool(x, 2, 2, 'valid');
              break;
            case 'concat':
              y = tf.concat(node.inputs.map(one), -1);
              break;
            default: // upconv, crop, head: the layer itself
              y = (layer(node.name) as tf.layers.Layer).apply(x) as tf.Tensor4D;
          }
          values.set(node.name, y);
        }
        const heads = description.heads.map((name) => tf.softmax(one(name), -1) as tf.Tensor4D);
        return heads.length === 1 ? heads[0] as tf.Tensor4D : tf.div(tf.addN(heads), heads.length) as tf.Tensor4D;
      });
    },
    dispose: () => disposeAll(folded),
  };
}

/** A bias-free (or biased) 3x3 convolution followed by inference-mode batch norm, as one convolution. */
function foldBatchNorm(kernel: tf.Tensor4D, bias: tf.Tensor1D | undefined, norm: tf.layers.Layer): { kernel: tf.Tensor4D; bias: tf.Tensor1D } {
  const { epsilon } = norm as unknown as { epsilon: number };
  const [gamma, beta, mean, variance] = norm.getWeights() as [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
  return tf.tidy(() => {
    const scale = tf.div(gamma, tf.sqrt(tf.add(variance, epsilon)));
    const shifted = bias ? tf.sub(bias, mean) : tf.neg(mean);
    return { kernel: tf.mul(kernel, scale) as tf.Tensor4D, bias: tf.add(tf.mul(shifted, scale), beta) as tf.Tensor1D };
  });
}

function disposeAll(folded: Map<string, { kernel: tf.Tensor4D; bias: tf.Tensor1D }>): void {
  for (const { kernel, bias } of folded.values()) tf.dispose([kernel, bias]);
  folded.clear();
}
