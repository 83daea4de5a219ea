import { describe, expect, it } from 'vitest';
import type { ImageStack } from './imageStack';
import { greyIfChannelsEqual } from './greyIfChannelsEqual';

const rgba = (pixels: number[][]): ImageStack => ({ width: pixels.length, height: 1, slices: 1, channels: pixels[0]!.length, dtype: 'uint8', data: Uint8Array.from(pixels.flat()) });

describe('greyIfChannelsEqual', () => {
  it('reads an RGB or opaque RGBA mask with equal channels as grey', () => {
    const fromRgb = greyIfChannelsEqual(rgba([[0, 0, 0], [255, 255, 255], [7, 7, 7]]));
    expect(fromRgb.channels).toBe(1);
    expect(Array.from(fromRgb.data)).toEqual([0, 255, 7]);
    const fromRgba = greyIfChannelsEqual(rgba([[0, 0, 0, 255], [3, 3, 3, 255]]));
    expect(fromRgba.channels).toBe(1);
    expect(Array.from(fromRgba.data)).toEqual([0, 3]);
  });

  it('leaves real colour, a varying alpha and grey files as they are', () => {
    const colour = rgba([[0, 0, 0], [255, 0, 0]]);
    expect(greyIfChannelsEqual(colour)).toBe(colour);
    const alpha = rgba([[1, 1, 1, 255], [1, 1, 1, 0]]);
    expect(greyIfChannelsEqual(alpha)).toBe(alpha);
    const grey: ImageStack = { width: 2, height: 1, slices: 1, channels: 1, dtype: 'uint16', data: Uint16Array.of(1, 2) };
    expect(greyIfChannelsEqual(grey)).toBe(grey);
  });
});
