import { describe, expect, it } from 'vitest';
import { dequantiseProbabilities, quantisedValuesPerPixel, quantiseProbabilities } from './quantiseProbabilities';

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
