import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors';
import { flipRaster } from './flipRaster';
import { rotate90Raster } from './rotate90Raster';
import { rotationField } from './rotationField';
import { warpImage } from './warpImage';

// 3 wide, 2 high:  0 1 2
//                  3 4 5
const small = { data: Int32Array.from([0, 1, 2, 3, 4, 5]), width: 3, height: 2, channels: 1 };

describe('exact flips and quarter turns', () => {
  it('quarter turns equal numpy.rot90 and swap width and height', () => {
    const one = rotate90Raster(small, 1); // np.rot90(a) = [[2,5],[1,4],[0,3]]
    expect([one.width, one.height]).toEqual([2, 3]);
    expect(Array.from(one.data)).toEqual([2, 5, 1, 4, 0, 3]);
    expect(Array.from(rotate90Raster(small, 2).data)).toEqual([5, 4, 3, 2, 1, 0]);
    expect(Array.from(rotate90Raster(small, 3).data)).toEqual([3, 0, 4, 1, 5, 2]);
    expect(Array.from(rotate90Raster(small, -1).data)).toEqual([3, 0, 4, 1, 5, 2]);
  });

  it('flips mirror one axis', () => {
    expect(Array.from(flipRaster(small, 'x').data)).toEqual([2, 1, 0, 5, 4, 3]);
    expect(Array.from(flipRaster(small, 'y').data)).toEqual([3, 4, 5, 0, 1, 2]);
  });

  it('are invertible, keep interleaved channels together, and compose as the dihedral group', () => {
    const rgb = { data: Float32Array.from({ length: 5 * 3 * 3 }, (_, i) => i), width: 5, height: 3, channels: 3 };
    const same = (a: typeof rgb, b: typeof rgb) => {
      expect([a.width, a.height]).toEqual([b.width, b.height]);
      expect(Array.from(a.data)).toEqual(Array.from(b.data));
    };
    same(rotate90Raster(rotate90Raster(rgb, 1), -1), rgb);
    same(rotate90Raster(rotate90Raster(rotate90Raster(rotate90Raster(rgb, 1), 1), 1), 1), rgb);
    same(flipRaster(flipRaster(rgb, 'x'), 'x'), rgb);
    same(flipRaster(flipRaster(rgb, 'y'), 'y'), rgb);
    same(flipRaster(flipRaster(rgb, 'x'), 'y'), rotate90Raster(rgb, 2));
    const turned = rotate90Raster(rgb, 1);
    for (let c = 0; c < 3; c++) expect(turned.data[c]).toBe(rgb.data[(5 - 1) * 3 + c]); // top-left comes from top-right
  });

  it('agree with the small-rotation warp: 90 deg on a square, 180 deg on any shape', () => {
    const square = { data: Float32Array.from({ length: 36 }, (_, i) => Math.sin(i)), width: 6, height: 6, channels: 1 };
    const warped = warpImage(square, rotationField(6, 6, 90)).data;
    rotate90Raster(square, 1).data.forEach((v, i) => expect(Math.abs(warped[i]! - v)).toBeLessThan(1e-5));
    const wide = { data: Float32Array.from({ length: 35 }, (_, i) => Math.cos(i)), width: 7, height: 5, channels: 1 };
    const half = warpImage(wide, rotationField(7, 5, 180)).data;
    rotate90Raster(wide, 2).data.forEach((v, i) => expect(Math.abs(half[i]! - v)).toBeLessThan(1e-5));
  });

  it('reject fractional turns and mis-sized data', () => {
    expect(() => rotate90Raster(small, 0.5)).toThrow(StudioError);
    expect(() => flipRaster({ ...small, width: 4 }, 'x')).toThrow(/has 6 values, but 4x2 px/);
    expect(() => rotationField(4, 4, Number.NaN)).toThrow(/finite number of degrees/);
  });
});
