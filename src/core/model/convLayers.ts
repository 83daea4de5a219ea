import type { UNetConfig } from './unetConfig';

/** One weighted layer of the U-Net as buildUNet lays it out. */
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

/**
 * The convolutions of buildUNet's network in order (encoder, bottom, decoder, head), walking the
 * real map sizes (valid convs shrink by 2 px): one walk for the parameter count and the FLOP count.
 */
export function convLayers(config: UNetConfig): ConvLayer[] {
  const shrink = config.padding === 'valid' ? 2 : 0;
  const layers: ConvLayer[] = [];
  let side = config.tileSizePx;
  let cin = config.inputChannels;
  const conv3x3 = (c: number) => {
    side -= shrink;
    layers.push({ kind: '3x3', kernelPx: 3, inChannels: cin, outChannels: c, appliedSidePx: side });
    cin = c;
  };
  for (let level = 0; level <= config.depth; level++) {
    const c = config.baseChannels * 2 ** level;
    conv3x3(c);
    conv3x3(c);
    if (level < config.depth) side /= 2;
  }
  for (let level = config.depth - 1; level >= 0; level--) {
    const c = config.baseChannels * 2 ** level;
    layers.push({ kind: 'upconv', kernelPx: 2, inChannels: cin, outChannels: c, appliedSidePx: side });
    side *= 2;
    cin = 2 * c; // the cropped skip concatenated with the up-conv's output
    conv3x3(c);
    conv3x3(c);
  }
  layers.push({ kind: 'head', kernelPx: 1, inChannels: cin, outChannels: config.numClasses, appliedSidePx: side });
  return layers;
}
