import { describe, expect, it } from 'vitest';
import { gaussian } from '../random/gaussian';
import { mulberry32 } from '../random/mulberry32';
import { DEFAULT_NORMALISATION, normaliseImage, percentileRanges } from './normaliseImage';
import { stretchLimit, withoutStretchLimit, withStretchLimit } from './stretchLimit';

const SIZE = 128;

/** An 8-bit fluorescence-like field: dark background (mean 12, noise sd 3) and, when asked, bright nuclei (~180). */
function field(seed: number, nuclei: number): Uint8Array {
  const random = mulberry32(seed);
  const noise = gaussian(random);
  const centres = Array.from({ length: nuclei }, () => [10 + random() * (SIZE - 20), 10 + random() * (SIZE - 20)] as const);
  return Uint8Array.from({ length: SIZE * SIZE }, (_, i) => {
    const x = i % SIZE;
    const y = Math.floor(i / SIZE);
    const inside = centres.some(([cx, cy]) => (x - cx) ** 2 + (y - cy) ** 2 < 36);
    return Math.max(0, Math.min(255, Math.round((inside ? 180 : 12) + 3 * noise())));
  });
}

const fractionAbove = (values: Float32Array, level: number) => values.filter((v) => v > level).length / values.length;

describe('the stretch limit of percentile normalisation', () => {
  const trainingImages = [field(1, 12), field(2, 6)];
  const ranges = trainingImages.map((pixels) => percentileRanges(pixels, 1, 1, 99.8));
  const limit = stretchLimit(ranges);
  const limited = withStretchLimit(DEFAULT_NORMALISATION, limit, false);

  it('is the smallest percentile range of the training images with objects', () => {
    expect(limit).toEqual([Math.min(ranges[0]![0]!.range, ranges[1]![0]!.range)]);
    expect(limit![0]).toBeGreaterThan(100); // nuclei at ~180 over a background at ~12
  });

  it('leaves every training image exactly as before', () => {
    for (const pixels of trainingImages) expect(normaliseImage(pixels, 1, limited)).toEqual(normaliseImage(pixels, 1, DEFAULT_NORMALISATION));
  });

  it('keeps an empty noisy field dark, which the plain stretch blows up to full contrast', () => {
    const empty = field(3, 0);
    const stretched = normaliseImage(empty, 1, DEFAULT_NORMALISATION);
    const kept = normaliseImage(empty, 1, limited);
    console.info(`[normalise] empty field: pixels above 0.5 ${(100 * fractionAbove(stretched, 0.5)).toFixed(1)} % stretched, ` +
      `${(100 * fractionAbove(kept, 0.5)).toFixed(1)} % limited; brightest ${Math.max(...stretched).toFixed(2)} vs ${Math.max(...kept).toFixed(3)}`);
    expect(fractionAbove(stretched, 0.5)).toBeGreaterThan(0.3); // noise fills the range a nucleus has in training
    expect(Math.max(...kept)).toBeLessThan(0.15);
    // Still per image: the field's own 1st percentile maps to 0, as in every image.
    expect(Math.min(...kept)).toBeLessThanOrEqual(0);
  });

  it('keeps the smaller limit when a run continues a model; a fresh run takes its own; absent without images with objects', () => {
    expect(withStretchLimit(limited, [50], true)).toEqual({ ...DEFAULT_NORMALISATION, minRange: [50] });
    expect(withStretchLimit(limited, [1000], true)).toEqual(limited);
    expect(withStretchLimit(limited, [1000], false)).toEqual({ ...DEFAULT_NORMALISATION, minRange: [1000] });
    expect(stretchLimit([])).toBeNull();
    expect(withStretchLimit(limited, null, true)).toBe(limited);
    expect(withoutStretchLimit(limited)).toEqual(DEFAULT_NORMALISATION);
  });
});
