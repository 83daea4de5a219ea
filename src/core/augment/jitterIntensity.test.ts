import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors';
import { jitterIntensity, NO_INTENSITY_CHANGE } from './jitterIntensity';

const image = Float32Array.from({ length: 100 }, (_, i) => 0.2 + 0.6 * ((i * 37) % 100) / 99);
const stats = (a: Float32Array) => {
  const mean = a.reduce((s, v) => s + v, 0) / a.length;
  return { min: Math.min(...a), max: Math.max(...a), mean };
};

describe('grey-value jitter', () => {
  it('changes nothing at the identity', () => {
    expect(Array.from(jitterIntensity(image, NO_INTENSITY_CHANGE))).toEqual(Array.from(image));
  });

  it('gamma keeps the value range and orders values the same way', () => {
    const out = jitterIntensity(image, { ...NO_INTENSITY_CHANGE, gamma: 1.5 });
    expect(stats(out).min).toBeCloseTo(0.2, 6);
    expect(stats(out).max).toBeCloseTo(0.8, 6);
    expect(stats(out).mean).toBeLessThan(stats(image).mean); // gamma > 1 darkens mid-tones
    for (let i = 0; i < 100; i++) for (const j of [3, 50]) expect(Math.sign(out[i]! - out[j]!)).toBe(Math.sign(image[i]! - image[j]!));
  });

  it('contrast scales about the mean; brightness shifts by a fraction of the range', () => {
    const contrasted = jitterIntensity(image, { ...NO_INTENSITY_CHANGE, contrastFactor: 1.5 });
    expect(stats(contrasted).mean).toBeCloseTo(stats(image).mean, 5);
    expect(stats(contrasted).max - stats(contrasted).min).toBeCloseTo(1.5 * 0.6, 5);
    const brighter = jitterIntensity(image, { ...NO_INTENSITY_CHANGE, brightnessShift: 0.1 });
    brighter.forEach((v, i) => expect(v - image[i]!).toBeCloseTo(0.06, 5));
  });

  it('leaves a flat image alone and rejects impossible values', () => {
    expect(Array.from(jitterIntensity(new Float32Array(4).fill(0.5), { brightnessShift: 0.2, contrastFactor: 2, gamma: 2 }))).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(() => jitterIntensity(image, { ...NO_INTENSITY_CHANGE, gamma: 0 })).toThrow(StudioError);
    expect(() => jitterIntensity(image, { ...NO_INTENSITY_CHANGE, contrastFactor: -1 })).toThrow(/contrast >= 0/);
  });
});
