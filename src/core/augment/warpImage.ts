import { assertRaster } from '../sampling/assertRaster';
import { mirrorIndex } from '../sampling/mirrorIndex';
import type { Raster } from '../sampling/raster';
import { cubicSplineCoefficients } from './cubicSplineCoefficients';
import { assertFieldFits, type DisplacementField } from './displacementField';
import { foldMirrorCoordinate } from './foldMirrorCoordinate';

/**
 * Warps an image (any channel count, interleaved) by cubic B-spline
 * interpolation with mirror boundaries: scipy.ndimage.map_coordinates(order=3,
 * mode='mirror', prefilter=True) per channel. Interpolating (a zero field gives
 * the image back) and smooth; may overshoot slightly near sharp edges, like scipy.
 */
export function warpImage(image: Raster, field: DisplacementField): Raster<Float32Array> {
  assertRaster(image, 'image');
  const { width, height, channels } = image;
  assertFieldFits(field, width, height);
  const coeffs = cubicSplineCoefficients(image);
  const out = new Float32Array(width * height * channels);
  const { dxPx, dyPx } = field;
  const rowStride = width * channels;
  let p = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++, p++) {
      let cy = y + dyPx[p]!;
      if (cy < 0 || cy > height - 1) cy = foldMirrorCoordinate(cy, height);
      let cx = x + dxPx[p]!;
      if (cx < 0 || cx > width - 1) cx = foldMirrorCoordinate(cx, width);
      const fy = Math.floor(cy);
      const fx = Math.floor(cx);
      // Cubic B-spline weights of the taps at f-1, f, f+1, f+2.
      const ty = cy - fy;
      const ty2 = ty * ty;
      const ty3 = ty2 * ty;
      const sy = 1 - ty;
      const wy0 = (sy * sy * sy) / 6;
      const wy1 = 2 / 3 - ty2 + 0.5 * ty3;
      const wy2 = 1 / 6 + 0.5 * (ty + ty2 - ty3);
      const wy3 = ty3 / 6;
      const tx = cx - fx;
      const tx2 = tx * tx;
      const tx3 = tx2 * tx;
      const sx = 1 - tx;
      const wx0 = (sx * sx * sx) / 6;
      const wx1 = 2 / 3 - tx2 + 0.5 * tx3;
      const wx2 = 1 / 6 + 0.5 * (tx + tx2 - tx3);
      const wx3 = tx3 / 6;
      let r0: number, r1: number, r2: number, r3: number;
      if (fy >= 1 && fy + 2 < height) {
        r0 = (fy - 1) * rowStride;
        r1 = r0 + rowStride;
        r2 = r1 + rowStride;
        r3 = r2 + rowStride;
      } else {
        r0 = mirrorIndex(fy - 1, height) * rowStride;
        r1 = mirrorIndex(fy, height) * rowStride;
        r2 = mirrorIndex(fy + 1, height) * rowStride;
        r3 = mirrorIndex(fy + 2, height) * rowStride;
      }
      let c0: number, c1: number, c2: number, c3: number;
      if (fx >= 1 && fx + 2 < width) {
        c0 = (fx - 1) * channels;
        c1 = c0 + channels;
        c2 = c1 + channels;
        c3 = c2 + channels;
      } else {
        c0 = mirrorIndex(fx - 1, width) * channels;
        c1 = mirrorIndex(fx, width) * channels;
        c2 = mirrorIndex(fx + 1, width) * channels;
        c3 = mirrorIndex(fx + 2, width) * channels;
      }
      if (channels === 1) {
        out[p] = sum16(coeffs, r0, r1, r2, r3, c0, c1, c2, c3, wy0, wy1, wy2, wy3, wx0, wx1, wx2, wx3);
      } else {
        for (let ch = 0; ch < channels; ch++) {
          out[p * channels + ch] = sum16(coeffs, r0 + ch, r1 + ch, r2 + ch, r3 + ch, c0, c1, c2, c3, wy0, wy1, wy2, wy3, wx0, wx1, wx2, wx3);
        }
      }
    }
  }
  return { data: out, width, height, channels };
}

/** The 4x4 tensor-product sum over rows a..d and columns c0..c3 (inlined by the JIT). */
function sum16(
  k: Float64Array, a: number, b: number, c: number, d: number, c0: number, c1: number, c2: number, c3: number,
  wy0: number, wy1: number, wy2: number, wy3: number, wx0: number, wx1: number, wx2: number, wx3: number,
): number {
  return (
    wy0 * (wx0 * k[a + c0]! + wx1 * k[a + c1]! + wx2 * k[a + c2]! + wx3 * k[a + c3]!) +
    wy1 * (wx0 * k[b + c0]! + wx1 * k[b + c1]! + wx2 * k[b + c2]! + wx3 * k[b + c3]!) +
    wy2 * (wx0 * k[c + c0]! + wx1 * k[c + c1]! + wx2 * k[c + c2]! + wx3 * k[c + c3]!) +
    wy3 * (wx0 * k[d + c0]! + wx1 * k[d + c1]! + wx2 * k[d + c2]! + wx3 * k[d + c3]!)
  );
}
