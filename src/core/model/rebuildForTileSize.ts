import type * as tf from '@tensorflow/tfjs';
import { buildUNet } from './buildUNet';
import type { UNetConfig } from './unetConfig';

/**
 * The same network at another tile size. tfjs-layers shapes are static, but a U-Net's
 * weights do not depend on the spatial size, so a new model takes copies of them.
 */
export function rebuildForTileSize(model: tf.LayersModel, config: UNetConfig, tileSizePx: number): { model: tf.LayersModel; config: UNetConfig } {
  const resized = { ...config, tileSizePx };
  const copy = buildUNet(resized);
  copy.setWeights(model.getWeights());
  return { model: copy, config: resized };
}
