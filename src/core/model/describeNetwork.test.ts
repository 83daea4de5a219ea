import { describe, expect, it } from 'vitest';
import type { ConvPadding } from '../geometry/tileGeometry';
import { outputSizePx, validInputSizesPx } from '../geometry/tileGeometry';
import { describeNetwork } from './describeNetwork';
import { PAPER_UNET } from './unetConfig';

describe('describeNetwork', () => {
  it.each([
    ['valid', 1], ['valid', 2], ['valid', 4], ['same', 1], ['same', 3], ['same', 4],
  ] as [ConvPadding, number][])('a %s U-Net of depth %i: its heads come out at the tile geometry\'s output size', (padding, depth) => {
    const spec = { depth, padding };
    for (const tileSizePx of validInputSizesPx(spec, 1, 300).slice(0, 4)) {
      const description = describeNetwork({ ...PAPER_UNET, depth, padding, tileSizePx });
      expect(description.heads).toEqual(['head']);
      const head = description.nodes.find((node) => node.name === 'head');
      expect(head?.sidePx).toBe(outputSizePx(tileSizePx, spec));
    }
  });

  it('names every node once and reads only nodes written before it', () => {
    const seen = new Set<string>();
    for (const node of describeNetwork(PAPER_UNET).nodes) {
      for (const input of node.inputs) expect(seen.has(input), `${node.name} reads ${input}`).toBe(true);
      expect(seen.has(node.name)).toBe(false);
      seen.add(node.name);
    }
  });
});
