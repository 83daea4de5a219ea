import type { ChannelRange, Normalisation } from '../core/image/normaliseImage';
import { normaliseImage, percentileRanges } from '../core/image/normaliseImage';
import { stretchLimit, withStretchLimit } from '../core/image/stretchLimit';
import { holdsObjects } from '../core/labels/classMap';
import type { SliceData } from './protocol';

/** A slice as the engine keeps it: raw, normalised, and (percentile) each channel's range, kept so a new stretch limit needs no second sort. */
export interface StoredSlice {
  readonly raw: SliceData;
  readonly image: Float32Array;
  readonly ranges: readonly ChannelRange[] | null;
}

export function storeSlice(raw: SliceData, normalisation: Normalisation): StoredSlice {
  const ranges = normalisation.kind === 'percentile' ? percentileRanges(raw.pixels, raw.channels, normalisation.lowPercent, normalisation.highPercent) : null;
  return { raw, image: normaliseImage(raw.pixels, raw.channels, normalisation, ranges ?? undefined), ranges };
}

/** The divisor of each channel under `normalisation` (range or stretch limit, whichever is larger). */
const divisors = (slice: StoredSlice, normalisation: Normalisation) =>
  normalisation.kind === 'percentile' && slice.ranges ? slice.ranges.map((r, c) => Math.max(r.range, normalisation.minRange?.[c] ?? 0)) : null;

/**
 * The normalisation a training run records: the current one with the stretch limit of the slices
 * whose labels hold objects (stretchLimit.ts); `continuing` keeps the smaller of the old and new limits.
 */
export function normalisationForTraining(slices: Iterable<StoredSlice>, current: Normalisation, continuing: boolean): Normalisation {
  const ranges = [...slices].flatMap((s) => (s.raw.classes && s.ranges && holdsObjects(s.raw.classes) ? [s.ranges] : []));
  return withStretchLimit(current, stretchLimit(ranges), continuing);
}

/**
 * The slices as `next` normalises them, from `current`: a slice whose divisors do not change (every
 * image with a range above both limits) keeps its array; the rest are normalised again. New objects,
 * so a caller can build them all before swapping any.
 */
export function renormalise(slices: ReadonlyMap<string, StoredSlice>, current: Normalisation, next: Normalisation): Map<string, StoredSlice> {
  const sameScheme = current.kind === next.kind && (current.kind !== 'percentile' ||
    (next.kind === 'percentile' && current.lowPercent === next.lowPercent && current.highPercent === next.highPercent));
  return new Map([...slices].map(([id, s]) => {
    if (!sameScheme) return [id, storeSlice(s.raw, next)];
    const before = divisors(s, current);
    const after = divisors(s, next);
    if (before && after && before.every((d, c) => d === after[c])) return [id, s];
    return [id, { ...s, image: normaliseImage(s.raw.pixels, s.raw.channels, next, s.ranges ?? undefined) }];
  }));
}
