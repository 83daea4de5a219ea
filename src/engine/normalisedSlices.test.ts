import { describe, expect, it } from 'vitest';
import { DEFAULT_NORMALISATION, normaliseImage, percentileRanges } from '../core/image/normaliseImage';
import { UNLABELLED } from '../core/labels/classMap';
import type { SliceData } from './protocol';
import { normalisationForTraining, renormalise, storeSlice } from './normalisedSlices';

/** 10x10 grey: background `base` with +-`noise`, and a bright 4x4 square when `object`. */
function slice(id: string, base: number, noise: number, object: boolean, classes: Int32Array | null): SliceData {
  const pixels = Uint16Array.from({ length: 100 }, (_, i) => (object && i % 10 < 4 && i < 40 ? 1000 : base + ((i * 7) % 5 - 2) * noise));
  return { id, width: 10, height: 10, channels: 1, dtype: 'uint16', pixels, classes, instances: null };
}
const objectLabels = Int32Array.from({ length: 100 }, (_, i) => (i % 10 < 4 && i < 40 ? 1 : 0));

describe('the engine\'s normalised slices', () => {
  const cells = storeSlice(slice('cells', 100, 3, true, objectLabels), DEFAULT_NORMALISATION);
  const background = storeSlice(slice('background', 100, 3, false, new Int32Array(100)), DEFAULT_NORMALISATION); // labelled, no objects
  const unlabelled = storeSlice(slice('unlabelled', 50, 2, true, new Int32Array(100).fill(UNLABELLED)), DEFAULT_NORMALISATION);
  const slices = new Map([cells, background, unlabelled].map((s) => [s.raw.id, s]));

  it('keeps each channel\'s percentile range beside the image it normalised', () => {
    expect(cells.ranges).toEqual(percentileRanges(cells.raw.pixels, 1, 1, 99.8));
    expect(cells.image).toEqual(normaliseImage(cells.raw.pixels, 1, DEFAULT_NORMALISATION));
  });

  it('takes the stretch limit from the slices whose labels hold objects only', () => {
    const next = normalisationForTraining(slices.values(), DEFAULT_NORMALISATION, false);
    expect(next).toEqual({ ...DEFAULT_NORMALISATION, minRange: [cells.ranges![0]!.range] });
    expect(normalisationForTraining([background, unlabelled], DEFAULT_NORMALISATION, false)).toBe(DEFAULT_NORMALISATION);
  });

  it('normalises again only the slices below the limit; the rest keep their arrays', () => {
    const next = normalisationForTraining(slices.values(), DEFAULT_NORMALISATION, false);
    const after = renormalise(slices, DEFAULT_NORMALISATION, next);
    expect(after.get('cells')).toBe(cells);
    expect(after.get('unlabelled')).toBe(unlabelled); // it has a bright square: its range is above the limit
    expect(Math.max(...background.image)).toBeGreaterThan(0.9); // stretched: noise of +-6 fills 0..1
    expect(Math.max(...after.get('background')!.image)).toBeLessThan(0.02); // 12 / ~900
    expect(after.get('background')!.image).toEqual(normaliseImage(background.raw.pixels, 1, next));
  });
});
