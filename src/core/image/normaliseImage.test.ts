import { describe, expect, it } from 'vitest';
import { normaliseImage } from './normaliseImage';

describe('normaliseImage', () => {
  it('maps the percentiles to 0..1 per channel, as numpy.percentile (linear) does', () => {
    // 0..100 in one channel: the 1st percentile is 1, the 99th is 99.
    const values = Uint16Array.from({ length: 101 }, (_, i) => i);
    const out = normaliseImage(values, 1, { kind: 'percentile', lowPercent: 1, highPercent: 99 });
    expect(out[1]).toBeCloseTo(0, 6);
    expect(out[99]).toBeCloseTo(1, 6);
    expect(out[100]).toBeCloseTo(99 / 98, 5); // not clipped
  });

  it('treats interleaved channels separately; a constant channel becomes 0', () => {
    const rgb = Uint8Array.from([0, 7, 100, 10, 7, 200]);
    const out = normaliseImage(rgb, 3, { kind: 'percentile', lowPercent: 0, highPercent: 100 });
    expect(Array.from(out)).toEqual([0, 0, 0, 1, 0, 1]);
  });

  it('z-scores', () => {
    const out = normaliseImage(Float32Array.of(1, 3), 1, { kind: 'zscore' });
    expect(Array.from(out)).toEqual([-1, 1]);
  });
});
