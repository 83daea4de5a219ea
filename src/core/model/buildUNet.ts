import * as tf from '@tensorflow/tfjs';
import type { UNetConfig } from './unetConfig';
import { validateUNetConfig } from './unetConfig';
import { describeNetwork } from './describeNetwork';
import type { NetworkDescription, NetworkNode } from './networkDescription';
import { batchNormalization } from './batchNormalizationLayer';

type Symbolic = tf.SymbolicTensor;

/**
 * Builds the network a config describes (describeNetwork: the U-Net of Ronneberger et al. 2015)
 * with the tfjs-layers functional API, so the result saves as a standard layers `model.json`.
 *
 * Layer names are the description's node names (for the U-Net `enc{l}_conv{1,2}`,
 * `bottom_conv{1,2}`, `dec{l}_upconv`, `dec{l}_conv{1,2}`, `head`; `_bn` twins for batch norm):
 * the PyTorch parity fixtures and weight transfer between tile sizes rely on them.
 *
 * Kernels are drawn from N(0, sqrt(2/N)) as the paper, seeded in node order; biases start at 0.
 *
 * The outputs are per-pixel logits (no softmax layer), one per head: the loss applies a stable
 * log-softmax, and prediction applies softmax. A one-head network has a single output tensor.
 */
export function buildUNet(config: UNetConfig, seed = 0): tf.LayersModel {
  validateUNetConfig(config);
  return buildFromDescription(describeNetwork(config), seed);
}

function buildFromDescription(description: NetworkDescription, seed: number): tf.LayersModel {
  const { config } = description;
  let layerSeed = seed;
  const nextSeed = () => layerSeed++;
  const built = new Map<string, Symbolic>();
  const one = (node: NetworkNode): Symbolic => built.get(node.inputs[0] as string) as Symbolic;
  const channelsOf = (x: Symbolic) => x.shape[3] as number;

  let input: Symbolic | null = null;
  for (const node of description.nodes) {
    let y: Symbolic;
    switch (node.op) {
      case 'input':
        y = input = tf.input({ shape: [node.sidePx, node.sidePx, node.channels], name: node.name });
        break;
      case 'conv3x3':
        y = conv3x3(one(node), node.channels, node.name, config, nextSeed());
        break;
      case 'maxPool':
        y = tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: node.name }).apply(one(node)) as Symbolic;
        break;
      case 'dropout':
        // No seed: tfjs's dropout layer re-seeds from `seed` on every call, repeating one mask.
        y = tf.layers.dropout({ rate: config.dropoutRate, name: node.name }).apply(one(node)) as Symbolic;
        break;
      case 'upconv':
        y = tf.layers
          .conv2dTranspose({
            filters: node.channels,
            kernelSize: 2,
            strides: 2,
            padding: 'valid',
            // A 2x2 stride-2 up-conv gives each output pixel exactly one input pixel: N = C_in.
            kernelInitializer: paperInit(channelsOf(one(node)), nextSeed()),
            name: node.name,
          })
          .apply(one(node)) as Symbolic;
        break;
      case 'crop': {
        const margin = ((one(node).shape[1] as number) - node.sidePx) / 2; // even by construction of the valid sizes
        y = tf.layers.cropping2D({ cropping: [[margin, margin], [margin, margin]], name: node.name }).apply(one(node)) as Symbolic;
        break;
      }
      case 'concat':
        y = tf.layers.concatenate({ axis: -1, name: node.name }).apply(node.inputs.map((name) => built.get(name) as Symbolic)) as Symbolic;
        break;
      case 'head':
        y = tf.layers
          .conv2d({ filters: node.channels, kernelSize: 1, kernelInitializer: paperInit(channelsOf(one(node)), nextSeed()), name: node.name })
          .apply(one(node)) as Symbolic;
        break;
    }
    built.set(node.name, y);
  }
  if (!input) throw new Error('The network description has no input.');
  const heads = description.heads.map((name) => built.get(name) as Symbolic);
  return tf.model({ inputs: input, outputs: heads.length === 1 ? (heads[0] as Symbolic) : heads, name: description.name });
}

/**
 * The paper's init: a Gaussian with std sqrt(2/N), N = incoming nodes of one neuron.
 * Not tfjs's heNormal, which draws a truncated normal without rescaling, so its
 * std is 0.88 * sqrt(2/N).
 */
function paperInit(incomingNodes: number, seed: number): ReturnType<typeof tf.initializers.randomNormal> {
  return tf.initializers.randomNormal({ mean: 0, stddev: Math.sqrt(2 / incomingNodes), seed });
}

/** 3x3 conv (+ batch norm) + ReLU, N = 9 * C_in. */
function conv3x3(x: Symbolic, channels: number, name: string, config: UNetConfig, seed: number): Symbolic {
  const conv = tf.layers.conv2d({
    filters: channels,
    kernelSize: 3,
    padding: config.padding,
    useBias: !config.batchNorm, // batch norm's beta replaces the bias
    kernelInitializer: paperInit(9 * (x.shape[3] as number), seed),
    name,
  });
  let y = conv.apply(x) as Symbolic;
  if (config.batchNorm) {
    // epsilon and momentum as PyTorch's defaults (tfjs momentum = 1 - PyTorch momentum).
    y = batchNormalization({ axis: -1, epsilon: 1e-5, momentum: 0.9, name: name.replace('_conv', '_bn') }).apply(y) as Symbolic;
  }
  return tf.layers.reLU({ name: `${name}_relu` }).apply(y) as Symbolic;
}
