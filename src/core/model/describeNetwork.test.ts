import { describe, expect, it } from 'vitest';
import type { ConvPadding } from '../geometry/tileGeometry';
import { outputSizePx, validInputSizesPx } from '../geometry/tileGeometry';
import { describeNetwork } from './describeNetwork';
import { FAST_UNET, PAPER_UNET, validateUNetConfig } from './unetConfig';

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

  it('UNet++: X(i,j) reads X(i,0..j-1) and the up-convolved X(i+1,j-1); heads on X(0,1..depth) with deep supervision, else X(0,depth)', () => {
    const config = { ...FAST_UNET, architecture: 'unetpp', depth: 3, tileSizePx: 64, deepSupervision: true } as const;
    const description = describeNetwork(config);
    const node = (name: string) => description.nodes.find((n) => n.name === name);
    expect(node('x1_2_concat')?.inputs).toEqual(['x1_0_conv2', 'x1_1_conv2', 'x1_2_upconv']);
    expect(node('x1_2_upconv')?.inputs).toEqual(['x2_1_conv2']);
    expect(node('x1_2_concat')?.channels).toBe(3 * 32);
    expect(description.heads).toEqual(['head1', 'head2', 'head3']);
    expect(description.heads.map((h) => node(h)?.inputs[0])).toEqual(['x0_1_conv2', 'x0_2_conv2', 'x0_3_conv2']);
    expect(description.heads.map((h) => node(h)?.sidePx)).toEqual([64, 64, 64]);
    expect(describeNetwork({ ...config, deepSupervision: false }).heads).toEqual(['head3']);
    // (depth + 1)(depth + 2) / 2 nodes of two convs each
    expect(description.nodes.filter((n) => n.op === 'conv3x3')).toHaveLength(2 * 10);
    expect(() => validateUNetConfig({ ...config, padding: 'valid', batchNorm: false })).toThrow(/UNet\+\+ is built with "same" padding/);
  });

  it('names every node once and reads only nodes written before it', () => {
    const seen = new Set<string>();
    for (const node of [...describeNetwork(PAPER_UNET).nodes, ...describeNetwork({ ...FAST_UNET, architecture: 'unetpp' }).nodes.map((n) => ({ ...n, name: `pp.${n.name}`, inputs: n.inputs.map((i) => `pp.${i}`) }))]) {
      for (const input of node.inputs) expect(seen.has(input), `${node.name} reads ${input}`).toBe(true);
      expect(seen.has(node.name)).toBe(false);
      seen.add(node.name);
    }
  });
});
