import type * as tf from '@tensorflow/tfjs';
import { invalidConfig } from '../errors';
import { buildUNet } from './buildUNet';
import { namedWeights } from './namedWeights';
import type { UNetConfig } from './unetConfig';
import { hasDeepSupervision } from './unetConfig';

/**
 * The network head L needs: the nodes X(i,j) with i + j <= L and the head on X(0,L). That is
 * a UNet++ of depth L with one head (describeUNetPlusPlus names its layers alike at every depth).
 */
export function prunedConfig(config: UNetConfig, level: number): UNetConfig {
  if (config.architecture !== 'unetpp') throw invalidConfig('Only a UNet++ can be pruned.');
  if (!Number.isInteger(level) || level < 1 || level > config.depth) {
    throw invalidConfig(`A UNet++ of depth ${config.depth} prunes to a level from 1 to ${config.depth} (got ${level}).`);
  }
  if (level < config.depth && !hasDeepSupervision(config)) {
    throw invalidConfig(`Pruning to level ${level} needs the head on X(0,${level}), which only deep supervision trains.`);
  }
  return { ...config, depth: level, deepSupervision: false };
}

/**
 * The UNet++ cut down to pruning level L: a plain layers model (saves and loads as any other)
 * holding only the layers head L reads, with copies of their weights. It has fewer parameters
 * and its output equals the full model's head L.
 */
export function pruneUNetPlusPlus(model: tf.LayersModel, config: UNetConfig, level: number): { model: tf.LayersModel; config: UNetConfig } {
  const pruned = prunedConfig(config, level);
  const smaller = buildUNet(pruned);
  const source = namedWeights(model);
  for (const [name, target] of namedWeights(smaller)) {
    const weight = source.get(name);
    if (!weight) {
      smaller.dispose();
      throw invalidConfig(`The model has no weight ${name}: it is not the UNet++ its configuration describes.`);
    }
    target.write(weight.read());
  }
  return { model: smaller, config: pruned };
}
