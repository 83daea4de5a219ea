import { invalidConfig } from '../errors';

/** A grey-value change. The identity is { brightnessShift: 0, contrastFactor: 1, gamma: 1 }. */
export interface IntensityChange {
  /** Added after the other two, as a fraction of the image's value range (max - min). */
  readonly brightnessShift: number;
  /** Scales deviations from the image mean. */
  readonly contrastFactor: number;
  /** Applied to the values normalised to [0, 1] by the image's min and max, then mapped back. */
  readonly gamma: number;
}

export const NO_INTENSITY_CHANGE: IntensityChange = { brightnessShift: 0, contrastFactor: 1, gamma: 1 };

/**
 * Gamma, then contrast, then brightness, on a float image of any value range
 * (all channels together). Statistics come from the image itself, so the change
 * means the same for [0, 1] and for z-scored images. Returns a new array.
 */
export function jitterIntensity(image: Float32Array, change: IntensityChange): Float32Array {
  const { brightnessShift, contrastFactor, gamma } = change;
  if (!Number.isFinite(brightnessShift) || !(contrastFactor >= 0) || !(gamma > 0) || !Number.isFinite(contrastFactor) || !Number.isFinite(gamma)) {
    throw invalidConfig(`Grey-value changes need a finite brightness, a contrast >= 0 and a gamma > 0 (got ${brightnessShift}, ${contrastFactor}, ${gamma}).`);
  }
  const out = Float32Array.from(image);
  if (out.length === 0) return out;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of image) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const range = hi - lo;
  if (range === 0) return out; // a flat image has no grey values to change
  if (gamma !== 1) {
    for (let i = 0; i < out.length; i++) out[i] = lo + range * ((out[i]! - lo) / range) ** gamma;
  }
  let mean = 0;
  for (const v of out) mean += v;
  mean /= out.length;
  const shift = brightnessShift * range;
  for (let i = 0; i < out.length; i++) out[i] = mean + (out[i]! - mean) * contrastFactor + shift;
  return out;
}
