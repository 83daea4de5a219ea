import { convLayers } from './convLayers';
import type { UNetConfig } from './unetConfig';

/** Weights and biases (and batch norm's four vectors in place of a 3x3 conv's bias), counted from the network description. */
export function countParameters(config: UNetConfig): number {
  return convLayers(config).reduce((count, layer) => {
    const perChannel = layer.kind === '3x3' && config.batchNorm ? 4 : 1;
    return count + layer.kernelPx ** 2 * layer.inChannels * layer.outChannels + perChannel * layer.outChannels;
  }, 0);
}
