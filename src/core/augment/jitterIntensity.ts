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
  // Indexed loops over a copy (not Float32Array.from or for-of): ~10x faster in V8 on a training patch.
  const out = image.slice();
  const n = out.length;
  if (n === 0) return out;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = out[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const range = hi - lo;
  if (range === 0) return out; // a flat image has no grey values to change
  let mean = 0;
  if (gamma !== 1) {
    for (let i = 0; i < n; i++) {
      out[i] = lo + range * Math.pow((out[i]! - lo) / range, gamma);
      mean += out[i]!;
    }
  } else {
    for (let i = 0; i < n; i++) mean += out[i]!;
  }
  mean /= n;
  const shift = brightnessShift * range;
  for (let i = 0; i < n; i++) out[i] = mean + (out[i]! - mean) * contrastFactor + shift;
  return out;
}
