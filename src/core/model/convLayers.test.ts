import { describe, expect, it } from 'vitest';
import { outputSizePx } from '../geometry/tileGeometry';
import { convLayers } from './convLayers';
import { FAST_UNET, PAPER_UNET } from './unetConfig';

describe('convLayers', () => {
  it('walks the paper network: 18 3x3 convs, 4 up-convs, the head at the output size', () => {
    const layers = convLayers(PAPER_UNET);
    expect(layers.filter((l) => l.kind === '3x3')).toHaveLength(18);
    expect(layers.filter((l) => l.kind === 'upconv').map((l) => l.appliedSidePx)).toEqual([28, 52, 100, 196]);
    expect(layers.at(-1)).toEqual({ kind: 'head', kernelPx: 1, inChannels: 64, outChannels: 2, appliedSidePx: outputSizePx(572, PAPER_UNET) });
    expect(layers[0]).toEqual({ kind: '3x3', kernelPx: 3, inChannels: 1, outChannels: 64, appliedSidePx: 570 });
  });

  it('keeps the map size with same padding', () => {
    expect(convLayers(FAST_UNET).at(-1)!.appliedSidePx).toBe(FAST_UNET.tileSizePx);
  });
});
