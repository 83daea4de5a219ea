import type * as tf from '@tensorflow/tfjs';
import { inferenceNetwork } from '../model/inferenceNetwork';
import type { UNetConfig } from '../model/unetConfig';
import { tensorTileModel, type TileModel } from './predictTiled';

/**
 * The network the studio predicts with, for predictTiled: `model` with batch norm folded and ReLU fused
 * (core/model/inferenceNetwork) as a TileModel, or the model itself where it cannot be folded. Built from
 * the weights `model` has now (a copy): build one per prediction, dispose it after. The engine, the
 * validation inside training, bench:accuracy and the starters' scores all predict through it.
 */
export function predictingNetwork(model: tf.LayersModel, config: UNetConfig): { readonly net: tf.LayersModel | TileModel; dispose(): void } {
  const folded = inferenceNetwork(model, config);
  if (!folded) return { net: model, dispose: () => {} };
  return { net: tensorTileModel(config.numClasses, (x) => folded.probabilities(x)), dispose: () => folded.dispose() };
}
