import type { PixelArray } from './imageStack';

/** How raw pixels become network input; recorded so predictions on new images do the same. */
export type Normalisation =
  /**
   * Per image and channel: the low..high percentiles map to 0..1 (robust for 16-bit microscopy).
   * `minRange` (per channel, raw units; absent in models from before it): the stretch limit, the
   * smallest high - low of the training images with objects. An image whose percentiles lie closer
   * (an empty field: noise only) is divided by this instead, so its noise stays dark (stretchLimit.ts).
   */
  | { readonly kind: 'percentile'; readonly lowPercent: number; readonly highPercent: number; readonly minRange?: readonly number[] }
  /** Per image and channel: subtract the mean, divide by the standard deviation. */
  | { readonly kind: 'zscore' };

export const DEFAULT_NORMALISATION: Normalisation = { kind: 'percentile', lowPercent: 1, highPercent: 99.8 };

/** One channel's percentile statistics: `low` maps to 0, low + range to 1 (before the stretch limit). */
export interface ChannelRange {
  readonly low: number;
  readonly range: number;
}

/**
 * Raw pixels of one slice (any dtype, interleaved channels) -> float32 network input, per
 * channel: percentile (low..high -> 0..1, not clipped, so bright outliers stay visible to the
 * network; the range never below the stretch limit) or z-score. A constant channel maps to 0.
 */
export function normaliseImage(pixels: PixelArray, channels: number, normalisation: Normalisation, known?: readonly ChannelRange[]): Float32Array {
  const ranges = normalisation.kind === 'percentile' ? known ?? percentileRanges(pixels, channels, normalisation.lowPercent, normalisation.highPercent) : null;
  const out = new Float32Array(pixels.length);
  const count = pixels.length / channels;
  for (let c = 0; c < channels; c++) {
    const [offset, scale] = ranges && normalisation.kind === 'percentile'
      ? [(ranges[c] as ChannelRange).low, Math.max((ranges[c] as ChannelRange).range, normalisation.minRange?.[c] ?? 0)]
      : meanAndStd(channelOf(pixels, channels, c));
    const inverse = scale > 0 ? 1 / scale : 0;
    // Through float32 first, as the statistics see the pixels (the same numbers for 32-bit and double input).
    for (let i = 0; i < count; i++) out[i * channels + c] = (Math.fround(pixels[i * channels + c] as number) - offset) * inverse;
  }
  return out;
}

/** Each channel's low percentile and high - low, as numpy.percentile (linear interpolation) computes them. */
export function percentileRanges(pixels: PixelArray, channels: number, lowPercent: number, highPercent: number): ChannelRange[] {
  return Array.from({ length: channels }, (_, c) => {
    const sorted = channelOf(pixels, channels, c).sort();
    const at = (percent: number) => {
      const position = (percent / 100) * (sorted.length - 1);
      const below = Math.floor(position);
      const above = Math.min(below + 1, sorted.length - 1);
      return (sorted[below] as number) + ((sorted[above] as number) - (sorted[below] as number)) * (position - below);
    };
    const low = at(lowPercent);
    return { low, range: at(highPercent) - low };
  });
}

function channelOf(pixels: PixelArray, channels: number, c: number): Float32Array {
  const count = pixels.length / channels;
  const channel = new Float32Array(count);
  for (let i = 0; i < count; i++) channel[i] = pixels[i * channels + c] as number;
  return channel;
}

function meanAndStd(values: Float32Array): [number, number] {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) * (v - mean);
  return [mean, Math.sqrt(squares / values.length)];
}
