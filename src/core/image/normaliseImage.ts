import type { PixelArray } from './imageStack';

/** How raw pixels become network input; recorded so predictions on new images do the same. */
export type Normalisation =
  /** Per image and channel: the low..high percentiles map to 0..1 (robust for 16-bit microscopy). */
  | { readonly kind: 'percentile'; readonly lowPercent: number; readonly highPercent: number }
  /** Per image and channel: subtract the mean, divide by the standard deviation. */
  | { readonly kind: 'zscore' };

export const DEFAULT_NORMALISATION: Normalisation = { kind: 'percentile', lowPercent: 1, highPercent: 99.8 };


/**
 * Raw pixels of one slice (any dtype, interleaved channels) -> float32 network input, per
 * channel: percentile (low..high -> 0..1, not clipped, so bright outliers stay visible to the
 * network) or z-score. A constant channel maps to 0.
 */
export function normaliseImage(pixels: PixelArray, channels: number, normalisation: Normalisation): Float32Array {
  const out = new Float32Array(pixels.length);
  const count = pixels.length / channels;
  const channel = new Float32Array(count);
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < count; i++) channel[i] = pixels[i * channels + c] as number;
    const [offset, scale] = normalisation.kind === 'percentile'
      ? percentileRange(channel, normalisation.lowPercent, normalisation.highPercent)
      : meanAndStd(channel);
    const inverse = scale > 0 ? 1 / scale : 0;
    for (let i = 0; i < count; i++) out[i * channels + c] = ((channel[i] as number) - offset) * inverse;
  }
  return out;
}

function percentileRange(values: Float32Array, lowPercent: number, highPercent: number): [number, number] {
  const sorted = Float32Array.from(values).sort();
  const at = (percent: number) => {
    const position = (percent / 100) * (sorted.length - 1);
    const below = Math.floor(position);
    const above = Math.min(below + 1, sorted.length - 1);
    return (sorted[below] as number) + ((sorted[above] as number) - (sorted[below] as number)) * (position - below);
  };
  const low = at(lowPercent);
  return [low, at(highPercent) - low];
}

function meanAndStd(values: Float32Array): [number, number] {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) * (v - mean);
  return [mean, Math.sqrt(squares / values.length)];
}
