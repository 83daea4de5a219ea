import { describe, expect, it } from 'vitest';
import { readBinFixture } from '../../testUtils/readBinFixture';
import { StudioError } from '../errors';
import { cropMirrored } from './cropMirrored';
import { mirrorIndex } from './mirrorIndex';
import { mirrorPad, type PaddingPx } from './mirrorPad';

interface Meta { pads: Record<string, PaddingPx> }
const fixture = readBinFixture<Meta>(new URL('../augment/fixtures/mirror-pad', import.meta.url));

describe('mirror padding', () => {
  it('mirrors without repeating the edge pixel, as often as needed', () => {
    expect([-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => mirrorIndex(i, 4))).toEqual([1, 2, 3, 2, 1, 0, 1, 2, 3, 2, 1, 0, 1, 2]);
    expect([-3, 0, 5].map((i) => mirrorIndex(i, 1))).toEqual([0, 0, 0]);
    expect([-3, -2, -1, 2, 3].map((i) => mirrorIndex(i, 2))).toEqual([1, 0, 1, 0, 1]);
  });

  it.each([['grey_symmetric', 1], ['grey_asymmetric', 1], ['rgb', 3], ['line', 1]] as const)('equals the pure mirror extension (numpy.pad reflect / scipy mirror) for pads far larger than the image: %s', (name, channels) => {
    const source = fixture.array(name);
    const [height, width] = source.shape as [number, number];
    const padded = mirrorPad({ data: source.data as Int32Array | Float32Array, width, height, channels }, fixture.meta.pads[name]!);
    const expected = fixture.array(`${name}_padded`);
    expect([padded.height, padded.width]).toEqual(expected.shape.slice(0, 2));
    expect(Array.from(padded.data)).toEqual(Array.from(expected.data));
  });

  it('with no padding returns a copy', () => {
    const raster = { data: Uint8Array.from([1, 2, 3, 4]), width: 2, height: 2, channels: 1 };
    const padded = mirrorPad(raster, 0);
    expect(Array.from(padded.data)).toEqual([1, 2, 3, 4]);
    expect(padded.data).not.toBe(raster.data);
    expect(padded.data).toBeInstanceOf(Uint8Array);
  });

  it('crops any window of the mirrored plane', () => {
    const raster = { data: Int32Array.from([0, 1, 2, 3, 4, 5]), width: 3, height: 2, channels: 1 };
    expect(Array.from(cropMirrored(raster, { x: -2, y: 1, width: 4, height: 1 }).data)).toEqual([5, 4, 3, 4]);
  });

  it('rejects negative or fractional padding and bad windows', () => {
    const raster = { data: new Float32Array(6), width: 3, height: 2, channels: 1 };
    expect(() => mirrorPad(raster, -1)).toThrow(StudioError);
    expect(() => mirrorPad(raster, { top: 1, bottom: 1, left: 0.5, right: 0 })).toThrow(/whole, non-negative pixel counts/);
    expect(() => cropMirrored(raster, { x: 0, y: 0, width: 0, height: 2 })).toThrow(/at least 1x1/);
    expect(() => mirrorPad({ ...raster, height: 3 }, 2)).toThrow(/has 6 values, but 3x3 px/);
  });
});
