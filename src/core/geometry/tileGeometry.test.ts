import { describe, expect, it } from 'vitest';
import { InvalidTileSizeError } from '../errors';
import { buildUNet } from '../model/buildUNet';
import { PAPER_UNET } from '../model/unetConfig';
import {
  borderPx, isValidInputSizePx, outputSizePx, smallestInputForOutputPx, tryOutputSizePx, validInputSizesPx,
} from './tileGeometry';

const paper = { depth: 4, padding: 'valid' } as const;

describe('tile geometry', () => {
  it('gives the paper numbers: 572 -> 388 with a 92 px border', () => {
    expect(outputSizePx(572, paper)).toBe(388);
    expect(borderPx(paper)).toBe(92);
  });

  it('lists valid sizes every 2^depth px, each a size where every pool sees an even size', () => {
    const sizes = validInputSizesPx(paper, 500, 700);
    expect(sizes).toContain(572);
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]! - sizes[i - 1]!).toBe(16);
    for (let s = 500; s <= 700; s++) expect(isValidInputSizePx(s, paper)).toBe(sizes.includes(s));
  });

  it('finds the smallest input for a wanted output', () => {
    expect(smallestInputForOutputPx(388, paper)).toBe(572);
    expect(smallestInputForOutputPx(389, paper)).toBe(588);
    expect(outputSizePx(588, paper)).toBe(404);
    expect(smallestInputForOutputPx(100, { depth: 3, padding: 'same' })).toBe(104);
  });

  it('rejects an invalid size and names the nearest valid ones', () => {
    expect(() => outputSizePx(570, paper)).toThrow(InvalidTileSizeError);
    try {
      outputSizePx(570, paper);
    } catch (error) {
      expect((error as InvalidTileSizeError).nearestValidPx).toEqual([556, 572]);
      expect((error as Error).message).toMatch(/570 px.*556 or 572 px/);
    }
    expect(() => outputSizePx(100, { depth: 3, padding: 'same' })).toThrow(/96 or 104 px/);
    expect(tryOutputSizePx(10, paper)).toBeNull(); // too small: sizes vanish
  });

  it('agrees with the shapes tfjs infers for real models, valid and same, depth 1 to 4', () => {
    for (const depth of [1, 2, 3, 4]) {
      for (const padding of ['valid', 'same'] as const) {
        const spec = { depth, padding };
        for (const tileSizePx of validInputSizesPx(spec, 1, 200).slice(0, 3)) {
          const model = buildUNet({ ...PAPER_UNET, depth, padding, baseChannels: 1, tileSizePx, dropoutRate: 0 });
          expect(model.outputs[0]!.shape, `${padding} depth ${depth} tile ${tileSizePx}`).toEqual(
            [null, outputSizePx(tileSizePx, spec), outputSizePx(tileSizePx, spec), 2],
          );
          model.dispose();
        }
      }
    }
  });
});
