import { describeNetwork } from './describeNetwork';
import type { NetworkDescription } from './networkDescription';
import type { UNetConfig } from './unetConfig';

/** One weighted layer of the network as the builder lays it out. */
export interface ConvLayer {
  readonly kind: '3x3' | 'upconv' | 'head';
  readonly kernelPx: number;
  readonly inChannels: number;
  readonly outChannels: number;
  /**
   * Side of the square map the kernel is applied over, for a tile of the config's size: the output
   * map of a conv; for the 2x2 stride-2 up-conv its input map (each input pixel spreads to a block).
   */
  readonly appliedSidePx: number;
}

const KIND = { conv3x3: '3x3', upconv: 'upconv', head: 'head' } as const;
const KERNEL_PX = { conv3x3: 3, upconv: 2, head: 1 } as const;

/** The convolutions of the network description in build order: one walk for the parameter count and the FLOP count. */
export function convLayers(config: UNetConfig): ConvLayer[] {
  return convLayersOf(describeNetwork(config));
}

export function convLayersOf(description: NetworkDescription): ConvLayer[] {
  const byName = new Map(description.nodes.map((node) => [node.name, node]));
  const layers: ConvLayer[] = [];
  for (const node of description.nodes) {
    if (node.op !== 'conv3x3' && node.op !== 'upconv' && node.op !== 'head') continue;
    const input = byName.get(node.inputs[0] as string);
    if (!input) throw new Error(`${node.name} reads no node.`);
    layers.push({
      kind: KIND[node.op],
      kernelPx: KERNEL_PX[node.op],
      inChannels: input.channels,
      outChannels: node.channels,
      appliedSidePx: node.op === 'upconv' ? input.sidePx : node.sidePx,
    });
  }
  return layers;
}
