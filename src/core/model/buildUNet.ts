import * as tf from '@tensorflow/tfjs';
import type { UNetConfig } from './unetConfig';
import { channelsAtLevel, validateUNetConfig } from './unetConfig';
import { registerBatchNormGradient } from './batchNormGradient';

type Symbolic = tf.SymbolicTensor;

/**
 * Builds the U-Net of Ronneberger et al. (2015) with the tfjs-layers functional API,
 * so the result saves as a standard layers `model.json`.
 *
 * Layer names are stable (`enc{l}_conv{1,2}`, `bottom_conv{1,2}`, `dec{l}_upconv`,
 * `dec{l}_conv{1,2}`, `head`; `_bn` twins for batch norm): the PyTorch parity
 * fixtures and weight transfer between tile sizes rely on them.
 *
 * Kernels are drawn from N(0, sqrt(2/N)) as the paper; biases start at 0.
 *
 * The output is per-pixel logits (no softmax layer): the loss applies a stable
 * log-softmax, and prediction applies softmax.
 */
export function buildUNet(config: UNetConfig, seed = 0): tf.LayersModel {
  validateUNetConfig(config);
  if (config.batchNorm) registerBatchNormGradient(); // the same gradients, without tfjs's Tile
  let layerSeed = seed;
  const nextSeed = () => layerSeed++;

  const convBlock = (x: Symbolic, channels: number, name: string): Symbolic => {
    let y = x;
    for (const i of [1, 2]) {
      y = conv3x3(y, channels, `${name}_conv${i}`, config, nextSeed());
    }
    return y;
  };

  const input = tf.input({ shape: [config.tileSizePx, config.tileSizePx, config.inputChannels], name: 'image' });
  const skips: Symbolic[] = [];
  let x: Symbolic = input;
  for (let level = 0; level < config.depth; level++) {
    x = convBlock(x, channelsAtLevel(config, level), `enc${level}`);
    if (level === config.depth - 1) x = dropout(x, config, `enc${level}_dropout`);
    skips.push(x);
    x = tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `enc${level}_pool` }).apply(x) as Symbolic;
  }
  x = convBlock(x, channelsAtLevel(config, config.depth), 'bottom');
  x = dropout(x, config, 'bottom_dropout');

  for (let level = config.depth - 1; level >= 0; level--) {
    const channels = channelsAtLevel(config, level);
    const up = tf.layers
      .conv2dTranspose({
        filters: channels,
        kernelSize: 2,
        strides: 2,
        padding: 'valid',
        // A 2x2 stride-2 up-conv gives each output pixel exactly one input pixel: N = C_in.
        kernelInitializer: paperInit(x.shape[3] as number, nextSeed()),
        name: `dec${level}_upconv`,
      })
      .apply(x) as Symbolic;
    const skip = centreCrop(skips[level] as Symbolic, up, `dec${level}_crop`);
    x = tf.layers.concatenate({ axis: -1, name: `dec${level}_concat` }).apply([skip, up]) as Symbolic;
    x = convBlock(x, channels, `dec${level}`);
  }

  const logits = tf.layers
    .conv2d({
      filters: config.numClasses,
      kernelSize: 1,
      kernelInitializer: paperInit(x.shape[3] as number, nextSeed()),
      name: 'head',
    })
    .apply(x) as Symbolic;
  return tf.model({ inputs: input, outputs: logits, name: `unet_${config.padding}_d${config.depth}_c${config.baseChannels}` });
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
    y = tf.layers.batchNormalization({ axis: -1, epsilon: 1e-5, momentum: 0.9, name: name.replace('_conv', '_bn') }).apply(y) as Symbolic;
  }
  return tf.layers.reLU({ name: `${name}_relu` }).apply(y) as Symbolic;
}

/**
 * No seed: tfjs's dropout layer re-seeds its generator from `seed` on every call, so a seeded
 * layer drops the same units at every training step (found by the accuracy run).
 */
function dropout(x: Symbolic, config: UNetConfig, name: string): Symbolic {
  if (config.dropoutRate === 0) return x;
  return tf.layers.dropout({ rate: config.dropoutRate, name }).apply(x) as Symbolic;
}

/** Crops the skip connection's centre to the upsampled map's size (a no-op for "same" padding). */
function centreCrop(skip: Symbolic, target: Symbolic, name: string): Symbolic {
  const skipSize = skip.shape[1] as number;
  const targetSize = target.shape[1] as number;
  const margin = (skipSize - targetSize) / 2; // even by construction of the valid sizes
  if (margin === 0) return skip;
  return tf.layers.cropping2D({ cropping: [[margin, margin], [margin, margin]], name }).apply(skip) as Symbolic;
}
