import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random/mulberry32';
import { dequantiseProbabilities, quantisedArgmaxAt, quantisedProbabilityAt, quantisedValuesPerPixel, quantiseInto, quantiseProbabilities } from './quantiseProbabilities';

/** A softmax map of `pixels` pixels and `k` classes with uneven values. */
function softmaxMap(pixels: number, k: number): Float32Array {
  const out = new Float32Array(pixels * k);
  for (let p = 0; p < pixels; p++) {
    let sum = 0;
    for (let c = 0; c < k; c++) sum += (out[p * k + c] = Math.exp(Math.sin(p * 0.37 + c * 1.9) * 3));
    for (let c = 0; c < k; c++) out[p * k + c] = (out[p * k + c] as number) / sum;
  }
  return out;
}

describe('quantiseProbabilities', () => {
  it('stores k - 1 values of 16 bits a pixel', () => {
    expect(quantisedValuesPerPixel(2)).toBe(1);
    expect(quantisedValuesPerPixel(5)).toBe(4);
    expect(quantiseProbabilities(softmaxMap(10, 3), 3, 0, 10)).toHaveLength(20);
    expect(() => quantisedValuesPerPixel(1)).toThrow(/at least 2 classes/);
  });

  it.each([2, 3, 5])('round-trips %i classes within 1/131070 per stored class, class 0 within (k-1)/131070, each pixel summing to 1', (k) => {
    const map = softmaxMap(1000, k);
    const back = new Float32Array(map.length);
    // In two parts, as strips are stored.
    expect(dequantiseProbabilities(quantiseProbabilities(map, k, 0, 600), k, back, 0)).toBe(true);
    expect(dequantiseProbabilities(quantiseProbabilities(map, k, 600, 400), k, back, 600)).toBe(true);
    let worstStored = 0;
    let worstZero = 0;
    for (let p = 0; p < 1000; p++) {
      let sum = 0;
      for (let c = 0; c < k; c++) {
        const error = Math.abs((back[p * k + c] as number) - (map[p * k + c] as number));
        if (c === 0) worstZero = Math.max(worstZero, error); else worstStored = Math.max(worstStored, error);
        sum += back[p * k + c] as number;
      }
      expect(sum).toBeCloseTo(1, 5);
    }
    expect(worstStored).toBeLessThanOrEqual(1 / 131070 + 1e-7);
    expect(worstStored).toBeGreaterThan(0); // it is lossy: the bound is the claim
    expect(worstZero).toBeLessThanOrEqual((k - 1) / 131070 + 1e-7);
  });

  it('stores NaN as 0 and clamps values outside [0, 1]', () => {
    expect([...quantiseProbabilities(Float32Array.of(0, Number.NaN, 0, 1.2, 0, -0.1), 2, 0, 3)]).toEqual([0, 65535, 0]);
  });

  it('refuses bytes that are not whole pixels or would overrun the map', () => {
    expect(dequantiseProbabilities(new Uint16Array(3), 3, new Float32Array(30), 0)).toBe(false);
    expect(dequantiseProbabilities(new Uint16Array(4), 2, new Float32Array(8), 1)).toBe(false);
  });
});

describe('reading a quantised map', () => {
  it('gives each class probability within 1/131070 and the argmax of the floats, ties to the lower class', () => {
    const random = mulberry32(21);
    for (const k of [2, 3, 5]) {
      const pixels = 400;
      const floats = new Float32Array(pixels * k);
      for (let p = 0; p < pixels; p++) {
        const raw = Array.from({ length: k }, () => random() ** 3);
        const sum = raw.reduce((a, b) => a + b, 0);
        raw.forEach((v, c) => (floats[p * k + c] = v / sum));
      }
      // A tie between classes 1 and 2 (where there are three or more): the lower one, as the engine's argmax.
      if (k > 2) floats.set([0.25, 0.375, 0.375, ...new Array<number>(k - 3).fill(0)], 0);
      const quantised = new Uint16Array(pixels * (k - 1));
      quantiseInto(floats, k, 0, pixels, quantised, 0);
      let differentArgmax = 0;
      for (let p = 0; p < pixels; p++) {
        for (let c = 0; c < k; c++) expect(Math.abs(quantisedProbabilityAt(quantised, k, p, c) - floats[p * k + c]!)).toBeLessThanOrEqual((k - 1) / 131070 + 1e-7);
        const values = Array.from(floats.subarray(p * k, (p + 1) * k));
        const best = values.indexOf(Math.max(...values));
        if (quantisedArgmaxAt(quantised, k, p) !== best) differentArgmax++;
      }
      if (k > 2) expect(quantisedArgmaxAt(quantised, k, 0)).toBe(1);
      expect(differentArgmax).toBeLessThanOrEqual(1); // only where two classes lie within a rounding step
    }
  });

  it('quantiseInto writes at the target pixel and leaves the rest alone', () => {
    const target = new Uint16Array(6 * 2).fill(7);
    quantiseInto(Float32Array.from([0.2, 0.3, 0.5, 0.1, 0.1, 0.8]), 3, 0, 2, target, 3);
    expect(Array.from(target)).toEqual([7, 7, 7, 7, 7, 7, Math.round(0.3 * 65535), Math.round(0.5 * 65535), Math.round(0.1 * 65535), Math.round(0.8 * 65535), 7, 7]);
  });
});
