import type { Raster } from '../sampling/raster';

/** The pole of the cubic B-spline's inverse filter. */
const POLE = Math.sqrt(3) - 2;
/** (1 - z)(1 - 1/z) = 6 per axis, applied once for both axes. */
const GAIN_2D = ((1 - POLE) * (1 - 1 / POLE)) ** 2;
/** Terms beyond this in the causal initial sum are below 1e-23 of the leading one (|z|^40). */
const HORIZON = 40;

/**
 * Cubic B-spline coefficients of an image with mirror boundaries: the prefilter
 * that makes order-3 spline interpolation pass through the pixel values. The
 * recursive filter of Unser (1993) with scipy's exact mirror initialisers
 * (ni_splines.c: _init_causal_mirror, _init_anticausal_mirror), along x then y,
 * in double precision; an axis of length 1 is left unfiltered, as scipy does.
 */
export function cubicSplineCoefficients(raster: Raster): Float64Array {
  const { width, height, channels } = raster;
  const c = new Float64Array(raster.data); // typed-array copy: far faster than .from()
  const gain = (width > 1 ? Math.sqrt(GAIN_2D) : 1) * (height > 1 ? Math.sqrt(GAIN_2D) : 1);
  for (let i = 0; i < c.length; i++) c[i]! *= gain;
  const rowLength = width * channels;
  if (width > 1) {
    for (let y = 0; y < height; y++) {
      for (let ch = 0; ch < channels; ch++) filterLine(c, y * rowLength + ch, channels, width);
    }
  }
  if (height > 1) filterColumns(c, rowLength, height);
  return c;
}

/** One line, in place: causal then anticausal recursion, mirror initial values. */
function filterLine(c: Float64Array, start: number, stride: number, n: number): void {
  const z = POLE;
  const last = start + (n - 1) * stride;
  const zN1 = z ** (n - 1);
  let c0 = c[start]! + zN1 * c[last]!;
  let zi = z;
  for (let i = 1; i < Math.min(n - 1, HORIZON); i++) {
    c0 += zi * (c[start + i * stride]! + zN1 * c[last - i * stride]!);
    zi *= z;
  }
  c[start] = c0 / (1 - zN1 * zN1);
  for (let k = start + stride; k <= last; k += stride) c[k]! += z * c[k - stride]!;
  c[last] = ((z * c[last - stride]! + c[last]!) * z) / (z * z - 1);
  for (let k = last - stride; k >= start; k -= stride) c[k] = z * (c[k + stride]! - c[k]!);
}

/** The same filter down every column at once, row by row (cache-friendly). */
function filterColumns(c: Float64Array, rowLength: number, n: number): void {
  const z = POLE;
  const lastRow = (n - 1) * rowLength;
  const zN1 = z ** (n - 1);
  const first = new Float64Array(rowLength);
  for (let k = 0; k < rowLength; k++) first[k] = c[k]! + zN1 * c[lastRow + k]!;
  let zi = z;
  for (let i = 1; i < Math.min(n - 1, HORIZON); i++) {
    const a = i * rowLength;
    const b = lastRow - a;
    for (let k = 0; k < rowLength; k++) first[k]! += zi * (c[a + k]! + zN1 * c[b + k]!);
    zi *= z;
  }
  const norm = 1 / (1 - zN1 * zN1);
  for (let k = 0; k < rowLength; k++) c[k] = first[k]! * norm;
  for (let r = rowLength; r <= lastRow; r += rowLength) {
    for (let k = 0; k < rowLength; k++) c[r + k]! += z * c[r - rowLength + k]!;
  }
  const endScale = z / (z * z - 1);
  for (let k = 0; k < rowLength; k++) c[lastRow + k] = (z * c[lastRow - rowLength + k]! + c[lastRow + k]!) * endScale;
  for (let r = lastRow - rowLength; r >= 0; r -= rowLength) {
    for (let k = 0; k < rowLength; k++) c[r + k] = z * (c[r + rowLength + k]! - c[r + k]!);
  }
}
