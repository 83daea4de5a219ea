import { describe, expect, it } from 'vitest';
import { classColour } from '../../image/classColours';
import { renderCover } from './renderCover';

describe('bioimage.io cover', () => {
  // A 2x2 grey image at 0.5; class 1 most probable at the top-left pixel only.
  const input = {
    image: Float32Array.from([0.5, 0.5, 0.5, 0.5]), sizePx: 2, channels: 1, outputPx: 2, classes: 2,
    probabilities: Float32Array.from([0.2, 0.8, 0.9, 0.1, 0.9, 0.1, 0.9, 0.1]),
  };
  const tinted = (colour: readonly number[]) => colour.map((c) => Math.round(0.55 * 128 + 0.45 * c));
  const rightPanelPixel = (data: ArrayLike<number>) => Array.from({ length: 3 }, (_, c) => data[2 * 3 + c]); // row 0, x = panel width

  it('tints predicted classes in the colour the user chose for them', () => {
    const cover = renderCover({ ...input, palette: [[0, 0, 0], [0, 200, 0]] });
    expect(rightPanelPixel(cover.data)).toEqual(tinted([0, 200, 0]));
    expect(Array.from(cover.data.subarray(0, 3))).toEqual([128, 128, 128]); // the left panel: the image alone
  });

  it('falls back to the default colours without a palette', () => {
    expect(rightPanelPixel(renderCover(input).data)).toEqual(tinted(classColour(1)));
  });
});
