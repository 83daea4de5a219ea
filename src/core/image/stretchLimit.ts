import type { ChannelRange, Normalisation } from './normaliseImage';

/**
 * The stretch limit of percentile normalisation: per channel, the smallest percentile range
 * (high - low, raw units) among the training images that hold objects. Every such image is
 * normalised exactly as before (its range is at least the limit); an image with a smaller range
 * (an empty field, whose percentiles span only its noise) is divided by the limit instead of its
 * own range, so it is never stretched more than any image the network learnt objects from, and
 * its noise stays dark instead of filling 0..1. Null without such images.
 */
export function stretchLimit(rangesOfImagesWithObjects: readonly (readonly ChannelRange[])[]): number[] | null {
  const first = rangesOfImagesWithObjects[0];
  if (!first) return null;
  return first.map((_, c) => Math.min(...rangesOfImagesWithObjects.map((ranges) => (ranges[c] as ChannelRange).range)));
}

/**
 * The normalisation a training run records: `current` with the limit of its training images; a run
 * that continues a model keeps the smaller of the two limits (the model learnt from both sets).
 */
export function withStretchLimit(current: Normalisation, limit: readonly number[] | null, continuing: boolean): Normalisation {
  if (current.kind !== 'percentile' || limit === null) return current;
  const kept = continuing ? current.minRange : undefined;
  const minRange = kept && kept.length === limit.length ? limit.map((v, c) => Math.min(v, kept[c] as number)) : [...limit];
  return { ...current, minRange };
}

/** The same scheme without the limit: what bioimage.io's scale_range can express. */
export function withoutStretchLimit(normalisation: Normalisation): Normalisation {
  if (normalisation.kind !== 'percentile') return normalisation;
  return { kind: 'percentile', lowPercent: normalisation.lowPercent, highPercent: normalisation.highPercent };
}
